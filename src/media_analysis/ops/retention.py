"""Retention: old finished jobs lose their files (and, if configured, their rows).

Runs periodically in worker processes; an advisory lock makes one process do it at a
time, and only finished jobs are ever touched. The files go after the commit, through
the recorded file deletions, so a crash in between cannot leave them behind.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.models import ClientSession, Job, JobStatus, MediaAsset
from media_analysis.jobs.file_deletions import record_job_folders, sweep_file_deletions

logger = logging.getLogger(__name__)

RETENTION_LOCK_ID = 7_310_042_002
BATCH = 200
FINISHED = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


@dataclass(frozen=True)
class RetentionReport:
    jobs: int
    rows_deleted: bool
    skipped: bool = False


async def apply_retention(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings
) -> RetentionReport:
    async with session_factory() as session:
        locked = await session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": RETENTION_LOCK_ID}
        )
        if not locked:
            return RetentionReport(0, settings.retention_delete_rows, skipped=True)
        expired = await _expired_jobs(session, settings.retention_days)
        await _forget(session, expired, settings.retention_delete_rows)
        locations = await record_job_folders(session, expired)
        await _expire_sessions(session, settings.retention_days)
        await session.commit()
        if locations:
            await sweep_file_deletions(session, settings, locations)
    if expired:
        logger.info("retention removed the files of %d old jobs", len(expired))
    return RetentionReport(len(expired), settings.retention_delete_rows)


async def _expired_jobs(session: AsyncSession, days: float) -> list[uuid.UUID]:
    query = (
        select(Job.id)
        .where(Job.status.in_(FINISHED), Job.files_deleted_at.is_(None))
        .where(func.coalesce(Job.completed_at, Job.created_at) < func.now() - timedelta(days=days))
        .order_by(Job.created_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(query)).scalars())


async def _forget(session: AsyncSession, job_ids: list[uuid.UUID], delete_rows: bool) -> None:
    if not job_ids:
        return
    if delete_rows:
        await session.execute(delete(Job).where(Job.id.in_(job_ids)))
        return
    await session.execute(delete(MediaAsset).where(MediaAsset.job_id.in_(job_ids)))
    await session.execute(
        update(Job).where(Job.id.in_(job_ids)).values(files_deleted_at=func.now())
    )


async def _expire_sessions(session: AsyncSession, days: float) -> None:
    """Clients idle for the retention period, and with no job left, are forgotten."""
    has_jobs = select(Job.id).where(Job.session_id == ClientSession.id).exists()
    await session.execute(
        delete(ClientSession).where(
            ClientSession.last_activity < func.now() - timedelta(days=days), ~has_jobs
        )
    )


async def run_retention_loop(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    while True:
        try:
            while (await apply_retention(session_factory, settings)).jobs >= BATCH:
                pass
        except Exception:
            logger.warning("retention pass failed; will try again", exc_info=True)
        await asyncio.sleep(settings.retention_interval_seconds)
