from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, func, select, text, update

from media_analysis.db.models import ClientSession, Job, JobStatus, MediaAsset
from media_analysis.db.repositories.base import Repository

RETENTION_LOCK_ID = 7_310_042_002
FINISHED = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


class RetentionRepository(Repository):
    async def take_turn(self) -> bool:
        """Whether this transaction runs retention; one process at a time does."""
        locked = await self.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": RETENTION_LOCK_ID}
        )
        return bool(locked)

    async def expired_jobs(self, days: float, limit: int) -> list[uuid.UUID]:
        """Finished jobs older than ``days`` that still have their files, oldest first."""
        query = (
            select(Job.id)
            .where(Job.status.in_(FINISHED), Job.files_deleted_at.is_(None))
            .where(
                func.coalesce(Job.completed_at, Job.created_at) < func.now() - timedelta(days=days)
            )
            .order_by(Job.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(query)).scalars())

    async def delete_jobs(self, job_ids: Sequence[uuid.UUID]) -> None:
        await self.session.execute(delete(Job).where(Job.id.in_(job_ids)))

    async def drop_assets(self, job_ids: Sequence[uuid.UUID]) -> None:
        """The jobs stay, with their text; their asset rows go and they are marked file-less."""
        await self.session.execute(delete(MediaAsset).where(MediaAsset.job_id.in_(job_ids)))
        await self.session.execute(
            update(Job).where(Job.id.in_(job_ids)).values(files_deleted_at=func.now())
        )

    async def forget_idle_sessions(self, days: float) -> None:
        """Clients idle for ``days``, and with no job left, are forgotten."""
        has_jobs = select(Job.id).where(Job.session_id == ClientSession.id).exists()
        await self.session.execute(
            delete(ClientSession).where(
                ClientSession.last_activity < func.now() - timedelta(days=days), ~has_jobs
            )
        )
