"""Job events: stored with a per-job sequence, announced with NOTIFY.

Callers lock the job row (by updating it) before appending, which serialises the
sequence numbers of one job without a separate lock.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import UUID, and_, any_, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from media_analysis.db.models import Job, JobEvent, JobStatus
from media_analysis.jobs.channels import EVENTS_CHANNEL

TERMINAL_EVENTS = frozenset({"completed", "failed", "cancelled"})
PROGRESS_INTERVAL_SECONDS = 0.5
# job_events.sequence is an INTEGER column; a larger bound would fail the query.
MAX_SEQUENCE = 2**31 - 1


class LeaseLost(Exception):
    """The job is no longer ours: another worker took it or it was deleted."""


async def append_event(
    session: AsyncSession, job_id: uuid.UUID, event_type: str, data: dict[str, Any]
) -> int:
    next_sequence = (
        select(func.coalesce(func.max(JobEvent.sequence), 0) + 1)
        .where(JobEvent.job_id == job_id)
        .scalar_subquery()
    )
    statement = (
        insert(JobEvent)
        .values(job_id=job_id, sequence=next_sequence, event_type=event_type, data=data)
        .returning(JobEvent.sequence)
    )
    sequence = (await session.execute(statement)).scalar_one()
    await session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": EVENTS_CHANNEL, "payload": f"{job_id}:{sequence}"},
    )
    return int(sequence)


def terminal_data(job_id: uuid.UUID, status: str, data: dict[str, Any]) -> dict[str, Any]:
    """A terminal event says how the job ended and where to read it."""
    return {"status": status, "links": {"self": f"/api/media/jobs/{job_id}"}, **data}


async def events_after(
    session: AsyncSession, job_id: uuid.UUID, after_sequence: int
) -> Sequence[JobEvent]:
    query = (
        select(JobEvent)
        .where(JobEvent.job_id == job_id, JobEvent.sequence > after_sequence)
        .order_by(JobEvent.sequence)
    )
    return list((await session.execute(query)).scalars())


@dataclass(frozen=True, eq=False)
class EventRecord:
    """One stored event, detached from its session so every watcher can share it."""

    sequence: int
    event_type: str
    data: dict[str, Any]

    @property
    def terminal(self) -> bool:
        return self.event_type in TERMINAL_EVENTS

    @classmethod
    def of(cls, event: JobEvent) -> EventRecord:
        return cls(event.sequence, event.event_type, event.data)


@dataclass(frozen=True)
class JobSnapshot:
    """A job's events after a point, whether it has ended, and its latest sequence."""

    events: list[EventRecord]
    finished: bool
    last_sequence: int


async def snapshot_after(
    session: AsyncSession, job_id: uuid.UUID, after_sequence: int
) -> JobSnapshot | None:
    """One statement: the events after ``after_sequence`` and the job's state; None if gone."""
    every_event = aliased(JobEvent)
    last_sequence = (
        select(func.coalesce(func.max(every_event.sequence), 0))
        .where(every_event.job_id == Job.id)
        .correlate(Job)
        .scalar_subquery()
    )
    query = (
        select(Job.status, last_sequence, JobEvent)
        .outerjoin(JobEvent, and_(JobEvent.job_id == Job.id, JobEvent.sequence > after_sequence))
        .where(Job.id == job_id)
        .order_by(JobEvent.sequence)
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return None
    status, last, _ = rows[0]
    events = [EventRecord.of(event) for _, _, event in rows if event is not None]
    return JobSnapshot(events, JobStatus(status).finished, int(last))


async def latest_sequences(
    session: AsyncSession, job_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """The latest event sequence of each job that still exists, in one statement."""
    query = (
        select(Job.id, func.coalesce(func.max(JobEvent.sequence), 0))
        .outerjoin(JobEvent, JobEvent.job_id == Job.id)
        .where(Job.id == any_(bindparam("job_ids", list(job_ids), type_=ARRAY(UUID))))
        .group_by(Job.id)
    )
    return {job_id: int(last) for job_id, last in (await session.execute(query)).all()}


class ProgressReporter:
    """What a handler calls to report its stage and percent; throttled, lease-checked."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        job_id: uuid.UUID,
        worker_id: str,
    ) -> None:
        self._session_factory = session_factory
        self._job_id = job_id
        self._worker_id = worker_id
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
            held = await session.execute(
                update(Job)
                .where(Job.id == self._job_id, Job.worker_id == self._worker_id)
                .where(Job.status == JobStatus.PROCESSING)
                .values(progress=self.current)
                .returning(Job.id)
            )
            if held.scalar_one_or_none() is None:
                raise LeaseLost(str(self._job_id))
            await append_event(session, self._job_id, "progress", data)
            await session.commit()
        self._last = (stage, percent, time.monotonic())

    def _worth_sending(self, stage: str, percent: float) -> bool:
        last_stage, last_percent, last_time = self._last
        if stage != last_stage or percent >= 100.0:
            return (stage, percent) != (last_stage, last_percent)
        if percent - last_percent < 1.0:
            return False
        return time.monotonic() - last_time >= PROGRESS_INTERVAL_SECONDS
