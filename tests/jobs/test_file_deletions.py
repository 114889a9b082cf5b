"""Files go after the rows that name them: recorded in the transaction, swept after commit."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.engine import create_engine, create_session_factory
from media_analysis.db.models import FileDeletion, Job, MediaAsset
from media_analysis.db.repositories import JobRepository
from media_analysis.jobs import file_deletions, retention, runner
from media_analysis.jobs.file_deletions import (
    record_job_folders,
    sweep_all_file_deletions,
    sweep_orphan_folders,
)
from media_analysis.jobs.lifecycle import cancel_or_delete
from media_analysis.storage import job_locations, open_storage
from tests.conftest import make_settings, serving_app
from tests.jobs.conftest import JobEngine
from tests.jobs.helpers import FINISHED, create_jobs, wait_for_status

DAY = 24 * 3600.0

SessionFactory = async_sessionmaker[AsyncSession]


@asynccontextmanager
async def process(settings: Settings, db_url: str) -> AsyncIterator[SessionFactory]:
    """A database connection pool of its own, as a separate process would have."""
    engine = create_engine(settings, db_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


def job_folders(settings: Settings, job_id: uuid.UUID, age_seconds: float = 0) -> list[Path]:
    folders = [settings.upload_dir / str(job_id), settings.output_dir / str(job_id)]
    for folder in folders:
        (folder / "frames").mkdir(parents=True)
        (folder / "frames" / "frame_000001.jpg").write_bytes(b"jpeg")
        if age_seconds:
            then = time.time() - age_seconds
            os.utime(folder, (then, then))
    return folders


async def finished_job(sessions: SessionFactory) -> uuid.UUID:
    job_id = uuid.uuid4()
    async with sessions() as session:
        session.add(Job(id=job_id, job_type="video", status="completed"))
        await session.flush()
        session.add(
            MediaAsset(job_id=job_id, asset_type="frame", file_path=f"output:{job_id}/frames")
        )
        await session.commit()
    return job_id


async def swept(
    sessions: SessionFactory, settings: Settings, job_id: uuid.UUID, timeout: float
) -> bool:
    """Whether the job's folders, and then their deletion records, go within ``timeout``."""
    deadline = time.monotonic() + timeout
    folders = [settings.upload_dir / str(job_id), settings.output_dir / str(job_id)]
    while any(folder.exists() for folder in folders) or await recorded(
        sessions, list(job_locations(job_id))
    ):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def recorded(sessions: SessionFactory, locations: list[str]) -> list[FileDeletion]:
    async with sessions() as session:
        query = select(FileDeletion).where(FileDeletion.location.in_(locations))
        return list((await session.execute(query)).scalars())


async def delete_finished(session: AsyncSession, job_id: uuid.UUID) -> None:
    job = await session.get(Job, job_id)
    assert job is not None
    assert await cancel_or_delete(session, job) == "deleted"


async def forget_job(sessions: SessionFactory, job_id: uuid.UUID) -> None:
    async with sessions() as session:
        await session.execute(delete(Job).where(Job.id == job_id))
        await session.commit()


async def forget_records(sessions: SessionFactory, locations: list[str]) -> None:
    async with sessions() as session:
        await session.execute(delete(FileDeletion).where(FileDeletion.location.in_(locations)))
        await session.commit()


async def test_a_deletion_is_recorded_in_the_transaction_that_deletes_the_job(
    settings: Settings, db_url: str
) -> None:
    async with process(settings, db_url) as sessions:
        job_id = await finished_job(sessions)
        folders = job_folders(settings, job_id)
        locations = list(job_locations(job_id))
        try:
            async with sessions() as session:
                await delete_finished(session, job_id)
                query = select(FileDeletion.location).where(FileDeletion.location.in_(locations))
                assert sorted((await session.execute(query)).scalars()) == sorted(locations)
                await session.rollback()
            assert await recorded(sessions, locations) == []
            async with sessions() as session:
                assert await session.get(Job, job_id) is not None
            assert all(folder.is_dir() for folder in folders)
        finally:
            await forget_job(sessions, job_id)


async def test_files_of_a_deletion_committed_before_a_crash_are_swept_later(
    settings: Settings, db_url: str
) -> None:
    async with process(settings, db_url) as sessions:
        job_id = await finished_job(sessions)
        folders = job_folders(settings, job_id)
        async with sessions() as session:
            await delete_finished(session, job_id)
            await session.commit()
        # The process ends here: its rows are gone, its files not yet.
    assert all(folder.is_dir() for folder in folders)

    async with process(settings, db_url) as sessions:
        locations = list(job_locations(job_id))
        assert len(await recorded(sessions, locations)) == 2
        assert await sweep_all_file_deletions(sessions, open_storage(settings)) >= 2
        assert not any(folder.exists() for folder in folders)
        assert settings.upload_dir.is_dir() and settings.output_dir.is_dir()
        assert await recorded(sessions, locations) == []


async def test_a_deletion_whose_files_are_already_gone_is_simply_forgotten(
    settings: Settings, db_url: str
) -> None:
    async with process(settings, db_url) as sessions:
        async with sessions() as session:
            locations = await record_job_folders(session, [uuid.uuid4()])
            await session.commit()
        assert await sweep_all_file_deletions(sessions, open_storage(settings)) >= 2
        assert await recorded(sessions, locations) == []


async def test_a_location_that_cannot_be_removed_keeps_its_record_and_error(
    settings: Settings, db_url: str, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    locations = ["upload:../elsewhere", "output:", str(outside)]  # escape attempt
    async with process(settings, db_url) as sessions:
        try:
            async with sessions() as session:
                session.add_all(FileDeletion(location=location) for location in locations)
                await session.commit()
            await sweep_all_file_deletions(sessions, open_storage(settings))
            kept = await recorded(sessions, locations)
            assert sorted(row.location for row in kept) == sorted(locations)
            assert all(row.attempts == 1 and row.last_error for row in kept)
            assert outside.is_dir()
        finally:
            await forget_records(sessions, locations)


async def test_orphan_sweep_removes_old_folders_without_a_job_and_nothing_else(
    settings: Settings, db_url: str
) -> None:
    old_orphan = job_folders(settings, uuid.uuid4(), age_seconds=2 * DAY)
    fresh_orphan = job_folders(settings, uuid.uuid4())
    incoming = settings.upload_dir / ".incoming"
    incoming.mkdir()
    (incoming / "upload-in-progress").write_bytes(b"bytes")
    not_a_job = settings.output_dir / "not-a-job"
    not_a_job.mkdir()
    for folder in (incoming, not_a_job):
        os.utime(folder, (time.time() - 2 * DAY,) * 2)
    async with process(settings, db_url) as sessions:
        kept_job = await finished_job(sessions)
        kept = job_folders(settings, kept_job, age_seconds=2 * DAY)
        try:
            removed = await sweep_orphan_folders(
                sessions, open_storage(settings), timedelta(days=1)
            )
            assert len(removed) == 2
            assert not any(folder.exists() for folder in old_orphan)
            assert all(folder.is_dir() for folder in [*fresh_orphan, *kept, incoming, not_a_job])
            assert (incoming / "upload-in-progress").is_file()
            assert await recorded(sessions, removed) == []
        finally:
            await forget_job(sessions, kept_job)


async def test_retention_interrupted_after_commit_leaves_its_files_to_the_sweeper(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path, retention_days=1, retention_delete_rows=True)
    async with process(settings, db_url) as sessions:
        async with sessions() as session:
            when = datetime.now(UTC) - timedelta(days=3)
            job = Job(job_type="video", status="failed", created_at=when, completed_at=when)
            session.add(job)
            await session.commit()
        folders = job_folders(settings, job.id)

        async def crash(*args: object) -> None:
            raise ConnectionResetError("the process died after the commit")

        monkeypatch.setattr(retention, "sweep_after_commit", crash)
        with pytest.raises(ConnectionResetError):
            await retention.apply_retention(sessions, settings, open_storage(settings))
        async with sessions() as session:
            assert await session.get(Job, job.id) is None
        assert all(folder.is_dir() for folder in folders)

    async with process(settings, db_url) as sessions:
        await sweep_all_file_deletions(sessions, open_storage(settings))
    assert not any(folder.exists() for folder in folders)


async def test_a_failed_job_loses_its_files_after_its_outcome_commits(
    job_engine: JobEngine,
) -> None:
    sessions, settings = job_engine.session_factory, job_engine.settings
    (job_id,) = await create_jobs(sessions, "test.leaves_files", [{}])
    (job,) = await wait_for_status(sessions, [job_id], FINISHED, timeout=20)
    assert job.status == "failed"
    # The outcome is visible as soon as it commits; the files go right after.
    assert await swept(sessions, settings, job_id, timeout=20)


async def test_a_failed_job_interrupted_after_its_outcome_leaves_its_files_to_the_sweeper(
    job_engine: JobEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def crash(*args: object) -> None:
        raise ConnectionResetError("the process died after the commit")

    monkeypatch.setattr(runner, "sweep_after_commit", crash)
    sessions, settings = job_engine.session_factory, job_engine.settings
    (job_id,) = await create_jobs(sessions, "test.leaves_files", [{}])
    (job,) = await wait_for_status(sessions, [job_id], FINISHED, timeout=20)
    assert job.status == "failed"
    folders = [settings.upload_dir / str(job_id), settings.output_dir / str(job_id)]
    assert all(folder.is_dir() for folder in folders)
    assert len(await recorded(sessions, list(job_locations(job_id)))) == 2

    await sweep_all_file_deletions(sessions, open_storage(settings))
    assert not any(folder.exists() for folder in folders)


async def test_a_worker_sweeps_recorded_deletions_at_start_up(tmp_path: Path, db_url: str) -> None:
    settings = make_settings(tmp_path)
    job_id = uuid.uuid4()
    job_folders(settings, job_id)
    async with process(settings, db_url) as sessions:
        async with sessions() as session:
            await record_job_folders(session, [job_id])
            await session.commit()
        async with serving_app(tmp_path, db_url, workers=1):
            assert await swept(sessions, settings, job_id, timeout=30)


async def test_deleting_a_job_through_the_api_removes_its_files_before_answering(
    client: httpx.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    job = await JobRepository(db_session).add(Job(job_type="video", status="completed"))
    folders = job_folders(settings, job.id)
    assert (await client.delete(f"/api/media/jobs/{job.id}")).status_code == 204
    assert not any(folder.exists() for folder in folders)
    query = select(FileDeletion).where(FileDeletion.location.in_(job_locations(job.id)))
    assert list((await db_session.execute(query)).scalars()) == []


async def test_a_delete_whose_sweep_fails_still_answers_and_leaves_the_files_recorded(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def store_down(*args: object) -> None:
        raise OSError("the store went away")

    monkeypatch.setattr(file_deletions, "sweep_file_deletions", store_down)
    job = await JobRepository(db_session).add(Job(job_type="video", status="completed"))
    folders = job_folders(settings, job.id)
    assert (await client.delete(f"/api/media/jobs/{job.id}")).status_code == 204
    assert all(folder.exists() for folder in folders)
    query = select(FileDeletion.location).where(FileDeletion.location.in_(job_locations(job.id)))
    assert sorted((await db_session.execute(query)).scalars()) == sorted(job_locations(job.id))
