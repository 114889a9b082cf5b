from __future__ import annotations

import uuid

from sqlalchemy import select

from media_analysis.db.models import Transcription
from media_analysis.db.repositories.base import Repository


class TranscriptionRepository(Repository):
    async def add(self, transcription: Transcription) -> Transcription:
        self.session.add(transcription)
        await self.session.flush()
        return transcription

    async def latest_for_job(self, job_id: uuid.UUID) -> Transcription | None:
        query = (
            select(Transcription)
            .where(Transcription.job_id == job_id)
            .order_by(Transcription.created_at.desc())
            .limit(1)
        )
        return (await self.session.execute(query)).scalar_one_or_none()
