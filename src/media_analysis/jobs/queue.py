"""The jobs table as a queue: claim with SKIP LOCKED, leases, retries, outcomes.

Every function takes a session and only flushes/executes; the caller commits, so
an outcome and the rows that go with it land in one transaction.

A job whose cancellation was requested is never put back in the queue: whatever
would have released, retried or reclaimed it finishes it as cancelled instead, and
every outcome is written only while the job is still held, so it ends exactly once.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, func, not_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job, JobStatus
from media_analysis.jobs.channels import CANCEL_CHANNEL, JOBS_CHANNEL
from media_analysis.jobs.events import append_event

MAX_BACKOFF_SECONDS = 60.0
CANCELLED_EVENT = {"reason": "cancelled"}


@dataclass(frozen=True)
class Lease:
    job_id: uuid.UUID
    worker_id: str


async def claim_next_job(
    session: AsyncSession, worker_id: str, job_types: Sequence[str], lease_seconds: float
) -> Job | None:
    """Take the oldest runnable job of one of ``job_types``; None when there is none."""
    if not job_types:
        return None
    candidate = (
        select(Job.id)
        .where(Job.status == JobStatus.PENDING, Job.run_after <= func.now())
        .where(Job.job_type.in_(job_types))
        .order_by(Job.run_after, Job.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(Job)
        .where(Job.id == candidate)
        .values(
            status=JobStatus.PROCESSING,
            worker_id=worker_id,
            lease_expires_at=func.now() + timedelta(seconds=lease_seconds),
            attempts=Job.attempts + 1,
            started_at=func.coalesce(Job.started_at, func.now()),
            updated_at=func.now(),
        )
        .returning(Job)
        .execution_options(synchronize_session=False)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def renew_lease(session: AsyncSession, lease: Lease, lease_seconds: float) -> bool | None:
    """Extend the lease. False: the job was asked to cancel. None: the lease is lost."""
    statement = (
        update(Job)
        .where(_held(lease))
        .values(lease_expires_at=func.now() + timedelta(seconds=lease_seconds))
        .returning(Job.cancel_requested)
    )
    cancel_requested = (await session.execute(statement)).scalar_one_or_none()
    if cancel_requested is None:
        return None
    return not cancel_requested


async def complete_job(
    session: AsyncSession,
    lease: Lease,
    result: dict[str, Any],
    progress: dict[str, Any],
    columns: dict[str, Any] | None = None,
) -> JobStatus | None:
    """COMPLETED, or CANCELLED when a cancel was requested first; None: the lease is lost."""
    values = {**(columns or {}), "result": result, "progress": progress}
    return await _finish(session, lease, JobStatus.COMPLETED, values, {})


async def fail_job(
    session: AsyncSession,
    lease: Lease,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
) -> JobStatus | None:
    """FAILED, or CANCELLED when a cancel was requested first; None: the lease is lost."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = json.loads(json.dumps(details, default=str))
    return await _finish(session, lease, JobStatus.FAILED, {"error": error}, error)


async def cancel_running_job(session: AsyncSession, lease: Lease) -> JobStatus | None:
    """CANCELLED; None when the lease is lost."""
    return await _finish(session, lease, JobStatus.CANCELLED, {}, CANCELLED_EVENT)


async def retry_or_fail(
    session: AsyncSession, lease: Lease, code: str, message: str, exhausted_code: str
) -> JobStatus | None:
    """PENDING again after a backoff, FAILED once attempts are used up, CANCELLED when
    asked to; None when the lease is lost."""
    held = select(Job.attempts, Job.max_attempts, Job.cancel_requested).where(_held(lease))
    job = (await session.execute(held.with_for_update())).one_or_none()
    if job is None:
        return None
    if job.cancel_requested:
        return await cancel_running_job(session, lease)
    if job.attempts >= job.max_attempts:
        detail = f"gave up after {job.attempts} attempts; last error: {message}"
        return await fail_job(session, lease, exhausted_code, detail)
    await _requeue(session, lease.job_id, backoff_seconds(job.attempts))
    return JobStatus.PENDING


async def release_job(session: AsyncSession, lease: Lease) -> JobStatus | None:
    """Hand a job back without counting the attempt (graceful shutdown): PENDING, or
    CANCELLED when a cancel was requested; None when the lease is lost."""
    statement = (
        update(Job)
        .where(_held(lease), not_(Job.cancel_requested))
        .values(
            status=JobStatus.PENDING,
            worker_id=None,
            lease_expires_at=None,
            attempts=func.greatest(Job.attempts - 1, 0),
            updated_at=func.now(),
        )
        .returning(Job.job_type)
    )
    job_type = (await session.execute(statement)).scalar_one_or_none()
    if job_type is None:
        return await cancel_running_job(session, lease)
    await notify(session, JOBS_CHANNEL, job_type)
    return JobStatus.PENDING


async def reclaim_expired_leases(session: AsyncSession) -> int:
    """Requeue jobs whose worker stopped renewing; fail those out of attempts and
    cancel those whose cancellation was requested."""
    expired = (
        select(Job)
        .where(Job.status == JobStatus.PROCESSING, Job.lease_expires_at < func.now())
        .with_for_update(skip_locked=True)
        .limit(100)
    )
    jobs = list((await session.execute(expired)).scalars())
    for job in jobs:
        lease = Lease(job.id, job.worker_id or "")
        if job.cancel_requested:
            await cancel_running_job(session, lease)
        elif job.attempts >= job.max_attempts:
            message = f"the worker running this job stopped responding {job.attempts} times"
            await fail_job(session, lease, "worker_lost", message)
        else:
            await _requeue(session, job.id, backoff_seconds(job.attempts))
    return len(jobs)


async def request_cancel(session: AsyncSession, job: Job) -> str:
    """Cancel a pending job at once; ask the worker of a running one to stop.

    One conditional UPDATE decides on the row as it is when the lock is granted, so
    a job claimed meanwhile is still cancelled and one that finished meanwhile keeps
    its outcome ("finished").
    """
    pending = Job.status == JobStatus.PENDING
    statement = (
        update(Job)
        .where(Job.id == job.id, Job.status.in_([JobStatus.PENDING, JobStatus.PROCESSING]))
        .values(
            status=case((pending, JobStatus.CANCELLED.value), else_=Job.status),
            completed_at=case((pending, func.now()), else_=Job.completed_at),
            cancel_requested=True,
            updated_at=func.now(),
        )
        .returning(Job.status)
    )
    status = (await session.execute(statement)).scalar_one_or_none()
    if status == JobStatus.CANCELLED:
        await append_event(session, job.id, "cancelled", CANCELLED_EVENT)
        return "cancelled"
    if status == JobStatus.PROCESSING:
        await notify(session, CANCEL_CHANNEL, str(job.id))
        return "cancelling"
    return "finished"


async def notify(session: AsyncSession, channel: str, payload: str) -> None:
    """NOTIFY is delivered when the surrounding transaction commits, never before."""
    await session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {
            "channel": channel,
            "payload": payload,
        },
    )


def backoff_seconds(attempts: int) -> float:
    return float(min(2 ** max(attempts, 1), MAX_BACKOFF_SECONDS))


async def _requeue(session: AsyncSession, job_id: uuid.UUID, delay: float) -> None:
    statement = (
        update(Job)
        .where(Job.id == job_id)
        .values(
            status=JobStatus.PENDING,
            worker_id=None,
            lease_expires_at=None,
            run_after=func.now() + timedelta(seconds=delay),
            updated_at=func.now(),
        )
        .returning(Job.job_type)
    )
    job_type = (await session.execute(statement)).scalar_one()
    await notify(session, JOBS_CHANNEL, job_type)


async def _finish(
    session: AsyncSession,
    lease: Lease,
    status: JobStatus,
    values: dict[str, Any],
    event_data: dict[str, Any],
) -> JobStatus | None:
    """Write ``status`` while the job is held; a job asked to cancel is cancelled instead."""
    cancelling = status == JobStatus.CANCELLED
    held = _held(lease) if cancelling else and_(_held(lease), not_(Job.cancel_requested))
    statement = (
        update(Job)
        .where(held)
        .values(
            status=status,
            worker_id=None,
            lease_expires_at=None,
            completed_at=func.now(),
            updated_at=func.now(),
            processing_time_ms=_elapsed_ms(),
            **values,
        )
        .returning(Job.id)
    )
    if (await session.execute(statement)).scalar_one_or_none() is None:
        return None if cancelling else await cancel_running_job(session, lease)
    await append_event(session, lease.job_id, status.value, event_data)
    return status


def _held(lease: Lease) -> Any:
    return and_(
        Job.id == lease.job_id,
        Job.worker_id == lease.worker_id,
        Job.status == JobStatus.PROCESSING,
    )


def _elapsed_ms() -> Any:
    return func.cast(
        func.extract("epoch", func.now() - func.coalesce(Job.started_at, Job.created_at)) * 1000,
        Job.processing_time_ms.type,
    )
