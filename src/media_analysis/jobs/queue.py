"""The jobs table as a queue: leases, retries, outcomes (claims are in ``claims``).

Every function only executes statements and the caller commits, so an outcome and
the rows that go with it land in one transaction; ``complete_jobs`` is a single
statement, so a worker also runs it on its autocommit connection, where it is a
transaction of its own.

A job whose cancellation was requested is never put back in the queue: whatever
would have released, retried or reclaimed it finishes it as cancelled instead, and
every outcome is written only while the job is still held, so it ends exactly once.
"""

from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, not_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from media_analysis.db.channels import CANCEL_CHANNEL, EVENTS_CHANNEL, JOBS_CHANNEL, notify
from media_analysis.db.models import Job, JobStatus
from media_analysis.db.repositories.events import EventRepository, terminal_data

MAX_BACKOFF_SECONDS = 60.0
CANCELLED_EVENT = {"reason": "cancelled"}


class CancelOutcome(enum.StrEnum):
    CANCELLED = "cancelled"  # it was still pending
    CANCELLING = "cancelling"  # its worker was told to stop
    FINISHED = "finished"  # it ended meanwhile and keeps its outcome


@dataclass(frozen=True)
class Lease:
    job_id: uuid.UUID
    worker_id: str


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


COMPLETE = text(
    """
    WITH results AS (
        SELECT * FROM unnest(:job_ids, :results) AS r(job_id, result)
    ), finished AS (
        UPDATE jobs
        SET status = 'completed', worker_id = NULL, lease_expires_at = NULL,
            completed_at = now(), updated_at = now(),
            processing_time_ms =
                (extract(epoch FROM now() - coalesce(started_at, created_at)) * 1000)::integer,
            result = results.result, progress = :progress
        FROM results
        WHERE jobs.id = results.job_id AND worker_id = :worker_id AND status = 'processing'
            AND NOT cancel_requested
        RETURNING jobs.id
    ), appended AS (
        INSERT INTO job_events (job_id, sequence, event_type, data)
        SELECT id,
               (SELECT coalesce(max(sequence), 0) + 1 FROM job_events WHERE job_id = finished.id),
               'completed', jsonb_build_object(
                   'status', 'completed', 'links',
                   jsonb_build_object('self', '/api/media/jobs/' || finished.id))
        FROM finished
        RETURNING job_id, sequence
    )
    SELECT job_id, pg_notify(:channel, job_id || ':' || sequence) FROM appended
    """
).bindparams(
    bindparam("job_ids", type_=ARRAY(UUID(as_uuid=True))),
    bindparam("results", type_=ARRAY(JSONB)),
    bindparam("progress", type_=JSONB),
)
DONE = {"stage": "done", "percent": 100}


async def complete_jobs(
    executor: AsyncSession | AsyncConnection, worker_id: str, results: dict[uuid.UUID, Any]
) -> set[uuid.UUID]:
    """Complete jobs held by ``worker_id`` with their results; returns those completed.
    A job left out was asked to cancel first, or is no longer held.

    Each outcome, its event and the event's NOTIFY are one statement. The event's number
    is read in the snapshot the statement started with, which is safe here: a job's
    events are appended by the worker holding it, one after another, and its handler
    has returned, so none of them is still being written.
    """
    parameters = {
        "job_ids": list(results),
        "results": list(results.values()),
        "worker_id": worker_id,
        "progress": DONE,
        "channel": EVENTS_CHANNEL,
    }
    return set((await executor.execute(COMPLETE, parameters)).scalars())


async def record_progress(session: AsyncSession, lease: Lease, progress: dict[str, Any]) -> bool:
    """Store the job's progress while it is held; False when the lease is lost."""
    statement = update(Job).where(_held(lease)).values(progress=progress).returning(Job.id)
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def update_held_job(session: AsyncSession, lease: Lease, columns: dict[str, Any]) -> None:
    """Set column values a handler asked for (``JobContext.update_job``) while it is held."""
    await session.execute(update(Job).where(_held(lease)).values(**columns))


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


async def request_cancel(session: AsyncSession, job: Job) -> CancelOutcome:
    """Cancel a pending job at once; ask the worker of a running one to stop.

    One conditional UPDATE decides on the row as it is when the lock is granted, so
    a job claimed meanwhile is still cancelled and one that finished meanwhile keeps
    its outcome (FINISHED).
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
        data = terminal_data(job.id, "cancelled", CANCELLED_EVENT)
        await EventRepository(session).append(job.id, "cancelled", data)
        return CancelOutcome.CANCELLED
    if status == JobStatus.PROCESSING:
        await notify(session, CANCEL_CHANNEL, str(job.id))
        return CancelOutcome.CANCELLING
    return CancelOutcome.FINISHED


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
    data = terminal_data(lease.job_id, status.value, event_data)
    await EventRepository(session).append(lease.job_id, status.value, data)
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
