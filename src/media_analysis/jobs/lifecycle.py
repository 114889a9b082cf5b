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
    """Pending → cancelled; processing → its worker is told to stop; finished → deleted."""
    if not JobStatus(job.status).finished:
        outcome = await request_cancel(session, job)
        if outcome != "finished":
            await session.refresh(job)
            return "cancelled" if outcome == "cancelled" else "cancelling"
    await JobRepository(session).delete(job)
    return "deleted"


def remove_job_files(settings: Settings, job_id: uuid.UUID) -> None:
    files = JobFiles(settings, job_id)
    for directory in (files.upload_dir, files.output_dir):
        shutil.rmtree(directory, ignore_errors=True)
