"""With object storage, deleted and failed jobs lose their objects, and orphans are swept."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from media_analysis.jobs.file_deletions import sweep_orphan_folders
from media_analysis.storage import Storage, open_storage
from tests.conftest import serving_app
from tests.s3_server import S3Bucket
from tests.storage.test_s3_jobs import BUNNY, _submit


async def _stored(storage: Storage, job_id: str) -> list[str]:
    return sorted(
        [item.location async for item in storage.list_prefix(f"upload:{job_id}/")]
        + [item.location async for item in storage.list_prefix(f"output:{job_id}/")]
    )


async def test_deleting_a_finished_job_removes_its_objects(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    storage = open_storage(s3_bucket.settings(tmp_path))
    async with serving_app(tmp_path, db_url, **s3_bucket.settings_values()) as (client, _app):
        job = await _submit(client, "/api/media/video/extract-frames", BUNNY)
        before = await _stored(storage, job["id"])
        deleted = await client.delete(f"/api/media/jobs/{job['id']}")
    assert f"upload:{job['id']}/original" in before and len(before) > job["result"]["frame_count"]
    assert deleted.status_code == 204
    assert await _stored(storage, job["id"]) == []


async def test_a_failed_job_loses_its_uploaded_original_in_the_bucket(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    storage = open_storage(s3_bucket.settings(tmp_path))
    async with serving_app(tmp_path, db_url, **s3_bucket.settings_values()) as (client, _app):
        response = await client.post(
            "/api/media/video/extract-frames?wait=60",
            files={"file": ("clip.mp4", BUNNY.read_bytes()[:20_000], "video/mp4")},
        )
    job = response.json()
    assert job["status"] == "failed"
    assert await _stored(storage, job["id"]) == []


async def test_the_orphan_sweep_removes_objects_whose_job_is_gone(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    storage = open_storage(s3_bucket.settings(tmp_path))
    orphan = uuid.uuid4()
    scratch = tmp_path / "orphan-frame"
    scratch.write_bytes(b"jpeg")
    await storage.put_file(f"output:{orphan}/frames/frame_000001.jpg", scratch, "image/jpeg")
    async with serving_app(tmp_path, db_url, **s3_bucket.settings_values()) as (client, app):
        job = await _submit(client, "/api/media/video/extract-frames", BUNNY)
        sessions = app.state.database.session_factory
        removed = await sweep_orphan_folders(sessions, storage, timedelta(0))
    assert removed == [f"output:{orphan}"]
    assert await _stored(storage, str(orphan)) == []
    assert f"upload:{job['id']}/original" in await _stored(storage, job["id"])
