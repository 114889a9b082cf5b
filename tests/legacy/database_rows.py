"""Reading back what the import wrote, for the jobs of one test only."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from media_analysis.db.models import AnalysisResult, Job, JobEvent, MediaAsset, Transcription


@dataclass
class JobRows:
    job: Job | None
    assets: list[MediaAsset]
    transcriptions: list[Transcription]
    analyses: list[AnalysisResult]
    events: list[JobEvent]

    def of_type(self, asset_type: str) -> list[MediaAsset]:
        return sorted(
            (a for a in self.assets if a.asset_type == asset_type),
            key=lambda a: a.frame_index or 0,
        )


async def job_rows(db_url: str, job_id: uuid.UUID) -> JobRows:
    engine = create_async_engine(db_url)
    try:
        async with AsyncSession(engine) as session:
            return JobRows(
                await session.get(Job, job_id),
                await _all(session, MediaAsset, job_id),
                await _all(session, Transcription, job_id),
                await _all(session, AnalysisResult, job_id),
                await _all(session, JobEvent, job_id),
            )
    finally:
        await engine.dispose()


async def _all(session: AsyncSession, model: type[Any], job_id: uuid.UUID) -> list[Any]:
    return list((await session.execute(select(model).where(model.job_id == job_id))).scalars())


async def row_counts(db_url: str, job_ids: Sequence[uuid.UUID]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job_id in job_ids:
        rows = await job_rows(db_url, job_id)
        counts[f"{job_id}:job"] = int(rows.job is not None)
        for name in ("assets", "transcriptions", "analyses", "events"):
            counts[f"{job_id}:{name}"] = len(getattr(rows, name))
    return counts


async def delete_jobs(db_url: str, job_ids: Sequence[uuid.UUID]) -> None:
    engine = create_async_engine(db_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(delete(Job).where(Job.id.in_(list(job_ids))))
    finally:
        await engine.dispose()
