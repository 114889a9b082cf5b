"""A job asked to cancel is finished as cancelled by every path that would run it again."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job, JobEvent, JobStatus
from media_analysis.db.repositories import JobRepository
from media_analysis.jobs import queue
from media_analysis.jobs.queue import Lease

WORKER = "test-host:1:abcdef01"
Outcome = Callable[[AsyncSession, Lease], Awaitable[object]]


async def _running_job(session: AsyncSession, lease_seconds: float = 30) -> Job:
    job = Job(
        id=uuid.uuid4(),
        job_type="test.echo",
        status=JobStatus.PROCESSING,
        worker_id=WORKER,
        attempts=1,
        lease_expires_at=datetime.now(UTC) + timedelta(seconds=lease_seconds),
    )
    return await JobRepository(session).add(job)


async def _ask_to_cancel(session: AsyncSession, job: Job) -> None:
    assert await queue.request_cancel(session, job) == "cancelling"


async def _ended(session: AsyncSession, job_id: uuid.UUID) -> tuple[str, list[str]]:
    job = await session.get(Job, job_id, populate_existing=True)
    assert job is not None
    query = select(JobEvent.event_type).where(JobEvent.job_id == job_id)
    return job.status, list((await session.execute(query)).scalars())


async def _complete(session: AsyncSession, lease: Lease) -> set[uuid.UUID]:
    return await queue.complete_jobs(session, lease.worker_id, {lease.job_id: {"echo": 1}})


async def _fail(session: AsyncSession, lease: Lease) -> object:
    return await queue.fail_job(session, lease, "invalid_media", "unreadable")


async def _retry(session: AsyncSession, lease: Lease) -> object:
    return await queue.retry_or_fail(session, lease, "internal_error", "boom", "exhausted")


async def test_a_result_after_a_cancel_request_is_not_recorded(db_session: AsyncSession) -> None:
    job = await _running_job(db_session)
    await _ask_to_cancel(db_session, job)
    lease = Lease(job.id, WORKER)
    assert await _complete(db_session, lease) == set()
    assert await _ended(db_session, job.id) == ("processing", [])
    assert await queue.cancel_running_job(db_session, lease) == JobStatus.CANCELLED
    assert await _ended(db_session, job.id) == ("cancelled", ["cancelled"])


@pytest.mark.parametrize("outcome", [_fail, _retry, queue.release_job])
async def test_an_outcome_written_after_a_cancel_request_is_cancelled(
    db_session: AsyncSession, outcome: Outcome
) -> None:
    job = await _running_job(db_session)
    await _ask_to_cancel(db_session, job)
    assert await outcome(db_session, Lease(job.id, WORKER)) == JobStatus.CANCELLED
    status, events = await _ended(db_session, job.id)
    assert (status, events) == ("cancelled", ["cancelled"])
    assert (await db_session.get(Job, job.id)).result is None  # type: ignore[union-attr]


async def test_an_expired_lease_of_a_job_asked_to_cancel_is_not_requeued(
    db_session: AsyncSession,
) -> None:
    asked = await _running_job(db_session, lease_seconds=-5)
    await _ask_to_cancel(db_session, asked)
    plain = await _running_job(db_session, lease_seconds=-5)
    assert await queue.reclaim_expired_leases(db_session) >= 2
    assert await _ended(db_session, asked.id) == ("cancelled", ["cancelled"])
    assert await _ended(db_session, plain.id) == ("pending", [])


async def test_a_job_that_already_finished_keeps_its_outcome(db_session: AsyncSession) -> None:
    job = await _running_job(db_session)
    assert await _complete(db_session, Lease(job.id, WORKER)) == {job.id}
    assert await queue.request_cancel(db_session, job) == "finished"
    assert await _ended(db_session, job.id) == ("completed", ["completed"])
    assert await queue.cancel_running_job(db_session, Lease(job.id, WORKER)) is None
