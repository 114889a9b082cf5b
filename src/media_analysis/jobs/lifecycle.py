"""Cancelling and deleting jobs."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job, JobStatus
from media_analysis.db.repositories import JobRepository
from media_analysis.jobs.file_deletions import record_job_folders
from media_analysis.jobs.queue import request_cancel

Outcome = Literal["cancelled", "cancelling", "deleted"]


async def cancel_or_delete(session: AsyncSession, job: Job) -> Outcome:
    """Pending → cancelled; processing → its worker is told to stop; finished → deleted.

    A job that finishes while its cancel is being requested keeps its outcome and is
    answered as it now is: the caller asked to stop work, not to lose its result. A
    deleted job's folders are recorded for removal: sweep them after the commit.
    """
    if JobStatus(job.status).finished:
        await JobRepository(session).delete(job)
        await record_job_folders(session, [job.id])
        return "deleted"
    outcome = await request_cancel(session, job)
    await session.refresh(job)
    return "cancelled" if outcome == "cancelled" else "cancelling"
