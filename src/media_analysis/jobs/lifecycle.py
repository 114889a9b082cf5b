"""Cancelling and deleting jobs."""

from __future__ import annotations

import enum

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job
from media_analysis.db.repositories import JobRepository
from media_analysis.jobs.file_deletions import record_job_folders
from media_analysis.jobs.queue import CancelOutcome, request_cancel


class DeleteOutcome(enum.StrEnum):
    CANCELLED = "cancelled"
    CANCELLING = "cancelling"
    DELETED = "deleted"


async def cancel_or_delete(session: AsyncSession, job: Job) -> DeleteOutcome:
    """Pending → cancelled; processing → its worker is told to stop; finished → deleted.

    A job that finishes while its cancel is being requested keeps its outcome and is
    answered as it now is: the caller asked to stop work, not to lose its result. A
    deleted job's folders are recorded for removal: sweep them after the commit.
    """
    if job.status.finished:
        await JobRepository(session).delete(job)
        await record_job_folders(session, [job.id])
        return DeleteOutcome.DELETED
    outcome = await request_cancel(session, job)
    await session.refresh(job)
    if outcome == CancelOutcome.CANCELLED:
        return DeleteOutcome.CANCELLED
    return DeleteOutcome.CANCELLING
