"""`media-analysis backup` / `restore`: a full round trip, refusals, damaged backups."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import uuid
from ipaddress import ip_address
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from media_analysis.db import migrate
from media_analysis.db.models import (
    AnalysisResult,
    ClientSession,
    Job,
    JobEvent,
    MediaAsset,
    Transcription,
    WorkerHeartbeat,
)
from tests.backup.commands import media_analysis
from tests.database import recreate_database
from tests.e2e.server import service_env

TABLES = text(
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
)
SEQUENCES = text(
    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
)


def _recreate(url: str) -> None:
    parsed = make_url(url)
    server = parsed.set(database="postgres").render_as_string(hide_password=False)
    asyncio.run(recreate_database(server, str(parsed.database)))


async def _populate(url: str, uploads: Path, outputs: Path) -> None:
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        client = ClientSession(
            client_id="c" * 64,
            api_key_fingerprint="0123456789abcdef",
            user_agent="pytest/backup",
            ip_address=ip_address("203.0.113.9"),
            request_count=7,
        )
        session.add(client)
        session.add(WorkerHeartbeat(id="worker-1", hostname="host", pid=42, concurrency=2))
        await session.flush()
        for number in range(3):
            await _add_job(session, client.id, number, uploads, outputs)
        await session.commit()
    await engine.dispose()


async def _add_job(
    session: AsyncSession, session_id: uuid.UUID, number: int, uploads: Path, outputs: Path
) -> None:
    job_id = uuid.uuid4()
    original = uploads / str(job_id) / "original"
    frame = outputs / str(job_id) / "frames" / "frame_000001.jpg"
    for path, size in ((original, 150_000 + number), (frame, 20_000)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(size))
    session.add(
        Job(
            id=job_id,
            job_type="video",
            status="completed",
            media_type="video",
            original_filename=f"clip-{number}.mp4",
            parameters={"fps": 3, "output_format": "jpg"},
            progress={"stage": "done", "percent": 100},
            result={"frame_count": 1, "analysis_result": {"summary": f"job {number}"}},
            session_id=session_id,
            client_ip=ip_address("2001:db8::1"),
            idempotency_key=f"scope:key-{number}",
            processing_time_ms=1234 + number,
        )
    )
    await session.flush()
    for stored, path, kind in (
        (f"upload:{job_id}/original", original, "original"),
        (f"output:{job_id}/frames/frame_000001.jpg", frame, "frame"),
    ):
        session.add(
            MediaAsset(
                job_id=job_id,
                asset_type=kind,
                file_path=stored,
                mime_type="video/mp4" if kind == "original" else "image/jpeg",
                file_size_bytes=path.stat().st_size,
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                metadata_={"note": "ünïcödé"},
            )
        )
    session.add(
        Transcription(
            job_id=job_id,
            provider="local",
            language="en",
            text_content=f"hello number {number}",
            word_timestamps=[{"word": "hello", "start": 0.0, "end": 0.4}],
            segments=[{"start": 0.0, "end": 1.0, "text": "hello"}],
        )
    )
    session.add(AnalysisResult(job_id=job_id, provider="local", summary="a test clip"))
    for sequence, kind in enumerate(("progress", "completed"), start=1):
        session.add(JobEvent(job_id=job_id, sequence=sequence, event_type=kind, data={"n": 1}))


async def _database_contents(url: str) -> dict[str, list[str]]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        contents: dict[str, list[str]] = {}
        for table in (await connection.execute(TABLES)).scalars():
            rows = await connection.execute(
                text(f'SELECT to_jsonb(t)::text FROM "{table}" t ORDER BY 1')
            )
            contents[table] = list(rows.scalars())
        contents["<sequences>"] = [f"{n}={v}" for n, v in await connection.execute(SEQUENCES)]
    await engine.dispose()
    return contents


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _environment(tmp_path: Path, url: str) -> dict[str, str]:
    return service_env(tmp_path, DATABASE_URL=url)


def test_backup_and_restore_give_back_every_row_and_every_byte(
    tmp_path: Path, fresh_db: str
) -> None:
    migrate.upgrade(fresh_db)
    uploads, outputs = tmp_path / "uploads", tmp_path / "outputs"
    asyncio.run(_populate(fresh_db, uploads, outputs))
    (uploads / ".incoming").mkdir()
    (uploads / ".incoming" / "half-uploaded").write_bytes(b"partial")
    rows_before = asyncio.run(_database_contents(fresh_db))
    files_before = {"uploads": _files(uploads), "outputs": _files(outputs)}
    env = _environment(tmp_path, fresh_db)

    backup = tmp_path / "backups" / "first"
    result = media_analysis(env, "backup", str(backup))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["public.jobs"] == 3
    assert manifest["tables"]["public.media_assets"] == 6
    assert manifest["alembic_revision"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert "database.dump" in listed
    assert not any(".incoming" in name for name in listed)
    assert len([name for name in listed if name.startswith(("uploads/", "outputs/"))]) == 6
    for name, entry in listed.items():
        data = (backup / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])

    _recreate(fresh_db)
    shutil.rmtree(uploads)
    shutil.rmtree(outputs)
    result = media_analysis(env, "restore", str(backup))
    assert result.returncode == 0, result.stderr

    assert asyncio.run(_database_contents(fresh_db)) == rows_before
    files_before["uploads"].pop(".incoming/half-uploaded")
    assert {"uploads": _files(uploads), "outputs": _files(outputs)} == files_before

    refused = media_analysis(env, "restore", str(backup))
    assert refused.returncode == 2
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    forced = media_analysis(env, "restore", "--force", str(backup))
    assert forced.returncode == 0, forced.stderr
    assert asyncio.run(_database_contents(fresh_db)) == rows_before
    assert {"uploads": _files(uploads), "outputs": _files(outputs)} == files_before


def test_a_damaged_backup_is_refused_before_anything_is_touched(
    tmp_path: Path, fresh_db: str
) -> None:
    migrate.upgrade(fresh_db)
    uploads, outputs = tmp_path / "uploads", tmp_path / "outputs"
    asyncio.run(_populate(fresh_db, uploads, outputs))
    env = _environment(tmp_path, fresh_db)
    backup = tmp_path / "backup"
    assert media_analysis(env, "backup", str(backup)).returncode == 0
    assert media_analysis(env, "backup", str(backup)).returncode == 2  # never overwritten
    before = asyncio.run(_database_contents(fresh_db))

    frame = next((backup / "outputs").rglob("frame_000001.jpg"))
    damaged = bytearray(frame.read_bytes())
    damaged[100] ^= 0xFF
    frame.write_bytes(bytes(damaged))
    result = media_analysis(env, "restore", "--force", str(backup))
    assert result.returncode == 2
    assert "does not match its checksum" in result.stderr
    assert asyncio.run(_database_contents(fresh_db)) == before

    frame.write_bytes(b"")
    (backup / "extra.bin").write_bytes(b"x")
    result = media_analysis(env, "restore", "--force", str(backup))
    assert result.returncode == 2
    assert "unexpected extra.bin" in result.stderr


def test_restoring_a_folder_that_is_not_a_backup_says_so_in_one_line(
    tmp_path: Path, fresh_db: str
) -> None:
    result = media_analysis(_environment(tmp_path, fresh_db), "restore", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not a backup folder" in result.stderr


def test_an_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    env = _environment(tmp_path, "postgresql://nobody@127.0.0.1:9/none")
    result = media_analysis(env, "backup", str(tmp_path / "backup"))
    assert result.returncode == 2
    assert result.stderr.startswith("media-analysis: DATABASE_URL: cannot connect")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "backup").exists()
    assert not list(tmp_path.glob(".backup.*"))  # no half-written staging folder left
