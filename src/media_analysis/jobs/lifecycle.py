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


def job_directories(settings: Settings, job_id: uuid.UUID) -> list[str]:
    return [str(root / str(job_id)) for root in (settings.upload_dir, settings.output_dir)]


def remove_job_files(settings: Settings, job_id: uuid.UUID) -> None:
    for directory in job_directories(settings, job_id):
        shutil.rmtree(directory, ignore_errors=True)
