"""Progress a handler reports: throttled, stored as events while the job is still held."""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.db.repositories.events import EventRepository
from media_analysis.jobs.queue import Lease, record_progress

PROGRESS_INTERVAL_SECONDS = 0.5


class LeaseLost(Exception):
    """The job is no longer ours: another worker took it or it was deleted."""


class ProgressReporter:
    """What a handler calls to report its stage and percent; throttled, lease-checked."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        job_id: uuid.UUID,
        worker_id: str,
    ) -> None:
        self._session_factory = session_factory
        self._lease = Lease(job_id, worker_id)
        self._last: tuple[str, float, float] = ("", -1.0, 0.0)
        self.stage_started: dict[str, float] = {}
        self.current: dict[str, Any] = {"stage": "queued", "percent": 0.0}

    async def report(self, stage: str, percent: float, message: str | None = None) -> None:
        percent = round(max(0.0, min(100.0, percent)), 1)
        if not self._worth_sending(stage, percent):
            return
        self.stage_started.setdefault(stage, time.monotonic())
        self.current = {"stage": stage, "percent": percent}
        data = {**self.current, "message": message}
        async with self._session_factory() as session:
            if not await record_progress(session, self._lease, self.current):
                raise LeaseLost(str(self._lease.job_id))
            await EventRepository(session).append(self._lease.job_id, "progress", data)
            await session.commit()
        self._last = (stage, percent, time.monotonic())

    def _worth_sending(self, stage: str, percent: float) -> bool:
        last_stage, last_percent, last_time = self._last
        if stage != last_stage or percent >= 100.0:
            return (stage, percent) != (last_stage, last_percent)
        if percent - last_percent < 1.0:
            return False
        return time.monotonic() - last_time >= PROGRESS_INTERVAL_SECONDS
