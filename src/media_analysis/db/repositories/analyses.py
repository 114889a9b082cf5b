from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from media_analysis.db.models import AnalysisResult
from media_analysis.db.repositories.base import Repository


class AnalysisRepository(Repository):
    async def add(self, analysis: AnalysisResult) -> AnalysisResult:
        self.session.add(analysis)
        await self.session.flush()
        return analysis

    async def list_for_job(self, job_id: uuid.UUID) -> Sequence[AnalysisResult]:
        query = (
            select(AnalysisResult)
            .where(AnalysisResult.job_id == job_id)
            .order_by(AnalysisResult.created_at)
        )
        return list((await self.session.execute(query)).scalars())
