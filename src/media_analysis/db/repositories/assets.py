from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select

from media_analysis.db.models import Job, MediaAsset
from media_analysis.db.repositories.base import Repository


class AssetRepository(Repository):
    async def add_all(self, assets: Sequence[MediaAsset]) -> None:
        self.session.add_all(assets)
        await self.session.flush()

    async def get_owned(self, asset_id: uuid.UUID, owner: str | None) -> MediaAsset | None:
        """The asset when ``owner`` may see its job (None: anyone may)."""
        query = select(MediaAsset).where(MediaAsset.id == asset_id)
        if owner is not None:
            query = query.join(Job, Job.id == MediaAsset.job_id).where(
                Job.owner_key_fingerprint == owner
            )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def original_of(self, job_id: uuid.UUID) -> MediaAsset | None:
        """The job's original file, uploaded or downloaded."""
        query = select(MediaAsset).where(
            MediaAsset.job_id == job_id, MediaAsset.asset_type == "original"
        )
        return (await self.session.execute(query)).scalars().first()

    async def delete_for_job(self, job_id: uuid.UUID) -> None:
        await self.session.execute(delete(MediaAsset).where(MediaAsset.job_id == job_id))

    async def list_for_job(
        self, job_id: uuid.UUID, asset_type: str | None = None
    ) -> Sequence[MediaAsset]:
        query = (
            select(MediaAsset)
            .where(MediaAsset.job_id == job_id)
            .order_by(MediaAsset.asset_type, MediaAsset.frame_index, MediaAsset.created_at)
        )
        if asset_type:
            query = query.where(MediaAsset.asset_type == asset_type)
        return list((await self.session.execute(query)).scalars())
