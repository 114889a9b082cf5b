"""A worker counts as live for LIVE_WITHIN after its heartbeat, and no longer."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import WorkerHeartbeat
from media_analysis.db.repositories import WorkerRepository
from media_analysis.db.repositories.workers import LIVE_WITHIN


async def _age(session: AsyncSession, worker_id: str, age: timedelta) -> None:
    await session.execute(
        update(WorkerHeartbeat)
        .where(WorkerHeartbeat.id == worker_id)
        .values(last_heartbeat_at=func.now() - age)
    )


async def test_a_worker_is_live_within_the_window_and_not_after(db_session: AsyncSession) -> None:
    workers = WorkerRepository(db_session)
    before = await workers.load()
    worker_id = f"test-{uuid.uuid4().hex[:12]}"
    await workers.record(worker_id, concurrency=4, running_jobs=3)

    now = await workers.load()
    assert (now.live, now.running_jobs, now.capacity) == (
        before.live + 1,
        before.running_jobs + 3,
        before.capacity + 4,
    )

    await _age(db_session, worker_id, LIVE_WITHIN - timedelta(seconds=5))
    assert (await workers.load()).live == before.live + 1
    await _age(db_session, worker_id, LIVE_WITHIN + timedelta(seconds=5))
    assert await workers.load() == before


async def test_a_forgotten_worker_no_longer_counts(db_session: AsyncSession) -> None:
    workers = WorkerRepository(db_session)
    before = await workers.load()
    worker_id = f"test-{uuid.uuid4().hex[:12]}"
    await workers.record(worker_id, concurrency=2, running_jobs=0)
    await workers.forget(worker_id)
    assert await workers.load() == before
