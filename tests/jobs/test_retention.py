"""Retention removes old finished jobs' files, never a running job's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select

from media_analysis.config import Settings
from media_analysis.db.engine import create_engine, create_session_factory
from media_analysis.db.models import ClientSession, Job, MediaAsset, Transcription
from media_analysis.jobs.retention import apply_retention
from media_analysis.storage import open_storage
from tests.conftest import make_settings


class Database:
    def __init__(self, settings: Settings, url: str) -> None:
        self.engine = create_engine(settings, url)
        self.session_factory = create_session_factory(self.engine)

    async def close(self) -> None:
        await self.engine.dispose()


async def _job(database: Database, settings: Settings, status: str, age_days: float) -> uuid.UUID:
    job_id = uuid.uuid4()
    when = datetime.now(UTC) - timedelta(days=age_days)
    folder = settings.output_dir / str(job_id)
    folder.mkdir(parents=True)
    (folder / "frame.jpg").write_bytes(b"jpeg")
    async with database.session_factory() as session:
        session.add(
            Job(id=job_id, job_type="video", status=status, created_at=when, completed_at=when)
        )
        await session.flush()
        session.add(
            MediaAsset(job_id=job_id, asset_type="frame", file_path=f"output:{job_id}/frame.jpg")
        )
        session.add(Transcription(job_id=job_id, provider="local", text_content="kept words"))
        await session.commit()
    return job_id


async def test_old_finished_jobs_lose_files_but_keep_their_text(
    tmp_path: Path, db_url: str
) -> None:
    settings = make_settings(tmp_path, retention_days=30)
    database = Database(settings, db_url)
    try:
        old = await _job(database, settings, "completed", 40)
        recent = await _job(database, settings, "completed", 5)
        running = await _job(database, settings, "processing", 40)
        report = await apply_retention(database.session_factory, settings, open_storage(settings))
        assert report.jobs >= 1
        assert not (settings.output_dir / str(old)).exists()
        assert (settings.output_dir / str(recent)).exists()
        assert (settings.output_dir / str(running)).exists()
        async with database.session_factory() as session:
            job = await session.get(Job, old)
            assert job is not None and job.files_deleted_at is not None
            first_pass_at = job.files_deleted_at
            assets = (
                await session.execute(select(MediaAsset).where(MediaAsset.job_id == old))
            ).all()
            assert assets == []
            kept = (
                await session.execute(select(Transcription).where(Transcription.job_id == old))
            ).all()
            assert len(kept) == 1
        await apply_retention(database.session_factory, settings, open_storage(settings))
        async with database.session_factory() as session:
            job = await session.get(Job, old)
            assert job is not None and job.files_deleted_at == first_pass_at
    finally:
        async with database.session_factory() as session:
            for job_id in (old, recent, running):
                row = await session.get(Job, job_id)
                if row is not None:
                    await session.delete(row)
            await session.commit()
        await database.close()


async def test_rows_go_too_when_configured(tmp_path: Path, db_url: str) -> None:
    settings = make_settings(tmp_path, retention_days=1, retention_delete_rows=True)
    database = Database(settings, db_url)
    try:
        old = await _job(database, settings, "failed", 3)
        await apply_retention(database.session_factory, settings, open_storage(settings))
        async with database.session_factory() as session:
            assert await session.get(Job, old) is None
        assert not (settings.output_dir / str(old)).exists()
    finally:
        await database.close()


async def test_idle_clients_without_jobs_are_forgotten(tmp_path: Path, db_url: str) -> None:
    settings = make_settings(tmp_path, retention_days=1)
    database = Database(settings, db_url)
    idle, busy, active = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        async with database.session_factory() as session:
            long_ago = datetime.now(UTC) - timedelta(days=3)
            for session_id, seen in ((idle, long_ago), (busy, long_ago), (active, None)):
                session.add(
                    ClientSession(
                        id=session_id,
                        client_id=session_id.hex,
                        **({"last_activity": seen} if seen else {}),
                    )
                )
            await session.flush()
            session.add(Job(job_type="document", status="completed", session_id=busy))
            await session.commit()
        await apply_retention(database.session_factory, settings, open_storage(settings))
        async with database.session_factory() as session:
            assert await session.get(ClientSession, idle) is None
            assert await session.get(ClientSession, busy) is not None
            assert await session.get(ClientSession, active) is not None
    finally:
        async with database.session_factory() as session:
            await session.execute(delete(Job).where(Job.session_id == busy))
            await session.execute(delete(ClientSession).where(ClientSession.id.in_([busy, active])))
            await session.commit()
        await database.close()
