"""Deleting a job deletes its rows; repositories only flush."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import AnalysisResult, Job, MediaAsset, Transcription
from media_analysis.db.repositories import (
    AnalysisRepository,
    AssetRepository,
    JobRepository,
    TranscriptionRepository,
)


async def test_deleting_a_job_deletes_its_assets_transcripts_and_analyses(
    db_session: AsyncSession,
) -> None:
    jobs = JobRepository(db_session)
    job = await jobs.add(Job(job_type="video", parameters={"fps": 3}))
    other = await jobs.add(Job(job_type="audio"))
    await AssetRepository(db_session).add_all(
        [
            MediaAsset(job_id=job.id, asset_type="frame", file_path="a.jpg", frame_index=0),
            MediaAsset(job_id=other.id, asset_type="original", file_path="b.wav"),
        ]
    )
    await TranscriptionRepository(db_session).add(
        Transcription(job_id=job.id, provider="local", text_content="hello")
    )
    await AnalysisRepository(db_session).add(AnalysisResult(job_id=job.id, provider="local"))

    await jobs.delete(job)

    for model in (MediaAsset, Transcription, AnalysisResult):
        count = await db_session.scalar(
            select(func.count()).select_from(model).where(model.job_id == job.id)
        )
        assert count == 0
    remaining = await AssetRepository(db_session).list_for_job(other.id)
    assert [asset.file_path for asset in remaining] == ["b.wav"]


async def test_job_listing_is_newest_first_with_a_working_cursor(db_session: AsyncSession) -> None:
    jobs = JobRepository(db_session)
    # A job type of its own: other tests commit jobs to the same database.
    job_type = f"paging.{uuid.uuid4().hex[:12]}"
    created = [await jobs.add(Job(job_type=job_type)) for _ in range(5)]
    seen: list[object] = []
    cursor = None
    while True:
        page = await jobs.list(limit=2, cursor=cursor, job_type=job_type)
        seen.extend(job.id for job in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen, key=str) == sorted((job.id for job in created), key=str)
    assert len(seen) == len(set(seen)) == 5
