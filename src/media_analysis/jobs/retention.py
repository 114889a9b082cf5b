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

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.repositories import RetentionRepository
from media_analysis.jobs.file_deletions import record_job_folders, sweep_after_commit
from media_analysis.storage import Storage

logger = logging.getLogger(__name__)

BATCH = 200


@dataclass(frozen=True)
class RetentionReport:
    jobs: int
    rows_deleted: bool
    skipped: bool = False


async def apply_retention(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings, storage: Storage
) -> RetentionReport:
    async with session_factory() as session:
        retention = RetentionRepository(session)
        if not await retention.take_turn():
            return RetentionReport(0, settings.retention_delete_rows, skipped=True)
        expired = await retention.expired_jobs(settings.retention_days, BATCH)
        await _forget(retention, expired, settings.retention_delete_rows)
        locations = await record_job_folders(session, expired)
        await retention.forget_idle_sessions(settings.retention_days)
        await session.commit()
        if locations:
            await sweep_after_commit(session, storage, locations)
    if expired:
        logger.info("retention removed the files of %d old jobs", len(expired))
    return RetentionReport(len(expired), settings.retention_delete_rows)


async def _forget(
    retention: RetentionRepository, job_ids: list[uuid.UUID], delete_rows: bool
) -> None:
    if not job_ids:
        return
    if delete_rows:
        await retention.delete_jobs(job_ids)
    else:
        await retention.drop_assets(job_ids)


async def run_retention_loop(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings, storage: Storage
) -> None:
    while True:
        try:
            while (await apply_retention(session_factory, settings, storage)).jobs >= BATCH:
                pass
        except Exception:
            logger.warning("retention pass failed; will try again", exc_info=True)
        await asyncio.sleep(settings.retention_interval_seconds)
