from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from media_analysis.db.models import FileDeletion, Job
from media_analysis.db.repositories.base import Repository


@dataclass(frozen=True)
class DueDeletion:
    id: int
    location: str


class FileDeletionRepository(Repository):
    async def record(self, locations: Iterable[str]) -> None:
        rows = [{"location": location} for location in locations]
        if rows:
            await self.session.execute(insert(FileDeletion), rows)

    async def record_unowned(self, folders: Sequence[tuple[uuid.UUID, str]]) -> list[str]:
        """Record the job folders whose job has no row; the locations recorded."""
        owned_query = select(Job.id).where(Job.id.in_({job_id for job_id, _ in folders}))
        owned = set((await self.session.execute(owned_query)).scalars())
        unowned = [location for job_id, location in folders if job_id not in owned]
        await self.record(unowned)
        return unowned

    async def claim(self, limit: int, locations: Sequence[str] | None = None) -> list[DueDeletion]:
        """Deletions no other sweeper holds, those that failed least often first."""
        query = (
            select(FileDeletion.id, FileDeletion.location)
            .order_by(FileDeletion.attempts, FileDeletion.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if locations is not None:
            query = query.where(FileDeletion.location.in_(locations))
        return [DueDeletion(*row) for row in (await self.session.execute(query)).all()]

    async def forget(self, deletion_ids: Sequence[int]) -> None:
        if deletion_ids:
            await self.session.execute(
                delete(FileDeletion).where(FileDeletion.id.in_(deletion_ids))
            )

    async def note_failure(self, deletion_id: int, error: str) -> None:
        await self.session.execute(
            update(FileDeletion)
            .where(FileDeletion.id == deletion_id)
            .values(attempts=FileDeletion.attempts + 1, last_error=error)
        )
