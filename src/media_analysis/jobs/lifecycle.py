"""Cancelling and deleting jobs, and removing their files."""

from __future__ import annotations

import shutil
import uuid
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.config import Settings
from media_analysis.db.models import Job, JobStatus
from media_analysis.db.repositories import JobRepository
from media_analysis.jobs.queue import request_cancel
from media_analysis.storage import JobFiles

Outcome = Literal["cancelled", "cancelling", "deleted"]


async def cancel_or_delete(session: AsyncSession, job: Job) -> Outcome:
    """Pending → cancelled; processing → its worker is told to stop; finished → deleted.

    A job that finishes while its cancel is being requested keeps its outcome and is
    answered as it now is: the caller asked to stop work, not to lose its result.
    """
    if JobStatus(job.status).finished:
        await JobRepository(session).delete(job)
        return "deleted"
    outcome = await request_cancel(session, job)
    await session.refresh(job)
    return "cancelled" if outcome == "cancelled" else "cancelling"


def remove_job_files(settings: Settings, job_id: uuid.UUID) -> None:
    files = JobFiles(settings, job_id)
    for directory in (files.upload_dir, files.output_dir):
        shutil.rmtree(directory, ignore_errors=True)
