"""Jobs with object storage: uploads go to the bucket, workers leave no local files,
downloads stream from the bucket or redirect to it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx

from media_analysis.storage import open_storage
from tests.conftest import CORPUS, serving_app
from tests.s3_server import S3Bucket

BUNNY = CORPUS / "bigbuckbunny.mp4"


async def _submit(client: httpx.AsyncClient, path: str, media: Path) -> dict[str, Any]:
    with media.open("rb") as handle:
        response = await client.post(
            f"{path}?wait=60", files={"file": (media.name, handle, "video/mp4")}
        )
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


def _local_files(tmp_path: Path) -> list[Path]:
    folders = [tmp_path / "uploads", tmp_path / "outputs"]
    found = [p for folder in folders if folder.exists() for p in folder.rglob("*")]
    return [p for p in found if p.is_file()]


async def test_a_video_job_keeps_its_files_in_the_bucket_only(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    async with serving_app(tmp_path, db_url, **s3_bucket.settings_values()) as (client, _app):
        job = await _submit(client, "/api/media/video/contact-sheet", BUNNY)
        assert job["status"] == "completed", job["error"]
        assets = (await client.get(f"/api/media/jobs/{job['id']}/assets")).json()
        sheet = await client.get(job["result"]["contact_sheet_path"])
        original = next(a for a in assets if a["asset_type"] == "original")
        partial = await client.get(original["url"], headers={"Range": "bytes=10-19"})
        whole = await client.get(original["url"])
        cached = await client.get(original["url"], headers={"If-None-Match": whole.headers["etag"]})

    assert _local_files(tmp_path) == []
    storage = open_storage(s3_bucket.settings(tmp_path))
    stored = {item.location async for item in storage.list_prefix(f"output:{job['id']}/")}
    frames = [a for a in assets if a["asset_type"] == "frame"]
    assert len(frames) == job["result"]["frame_count"] > 0
    assert len(stored) == len(frames) + job["result"]["contact_sheet_count"]

    assert sheet.status_code == 200 and sheet.headers["content-type"] == "image/jpeg"
    assert sheet.content[:3] == b"\xff\xd8\xff"
    assert partial.status_code == 206
    assert partial.content == BUNNY.read_bytes()[10:20]
    assert partial.headers["content-range"] == f"bytes 10-19/{BUNNY.stat().st_size}"
    assert (
        hashlib.sha256(whole.content).hexdigest() == hashlib.sha256(BUNNY.read_bytes()).hexdigest()
    )
    assert whole.headers["etag"] == f'"{hashlib.sha256(BUNNY.read_bytes()).hexdigest()}"'
    assert cached.status_code == 304


async def test_presigned_downloads_redirect_to_the_bucket(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    values = {**s3_bucket.settings_values(), "presigned_downloads": True}
    async with serving_app(tmp_path, db_url, **values) as (client, _app):
        job = await _submit(client, "/api/media/video/extract-frames", BUNNY)
        frames = (await client.get(f"/api/media/jobs/{job['id']}/assets?asset_type=frame")).json()
        answer = await client.get(frames[0]["url"])
    assert answer.status_code == 307
    assert answer.headers["location"].startswith(s3_bucket.endpoint)
    assert "X-Amz-Expires=300" in answer.headers["location"]
    fetched = httpx.get(answer.headers["location"])
    assert fetched.status_code == 200
    assert fetched.content[:3] == b"\xff\xd8\xff"
    assert answer.headers["etag"] == f'"{hashlib.sha256(fetched.content).hexdigest()}"'


async def test_a_failed_job_leaves_no_local_files(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(BUNNY.read_bytes()[:20_000])
    async with serving_app(tmp_path / "host", db_url, **s3_bucket.settings_values()) as (
        client,
        _app,
    ):
        with broken.open("rb") as handle:
            response = await client.post(
                "/api/media/video/extract-frames?wait=60",
                files={"file": ("broken.mp4", handle, "video/mp4")},
            )
    assert response.json()["status"] == "failed"
    assert _local_files(tmp_path / "host") == []


async def test_readiness_and_metrics_report_the_bucket(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    async with serving_app(tmp_path, db_url, **s3_bucket.settings_values()) as (client, _app):
        await _submit(client, "/api/media/video/extract-frames", BUNNY)
        health = (await client.get("/api/media/health")).json()
        metrics = (await client.get("/metrics")).text
    assert health["checks"]["storage"] == {"status": "ok", "backend": "s3"}
    assert 'media_analysis_storage_bytes_total{backend="s3",direction="in"}' in metrics
    assert (
        'media_analysis_storage_operation_duration_seconds_count{backend="s3",operation="put"}'
        in metrics
    )


async def test_reanalysis_reads_the_stored_frames_from_the_bucket(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    async with serving_app(tmp_path, db_url, **s3_bucket.settings_values()) as (client, _app):
        source = await _submit(client, "/api/media/video/contact-sheet", BUNNY)
        response = await client.post(
            f"/api/media/jobs/{source['id']}/analyze?wait=60", json={"prompt": "What is shown?"}
        )
    rerun = response.json()
    assert rerun["status"] == "completed", rerun["error"]
    assert rerun["result"]["source_job_id"] == source["id"]
    assert rerun["result"]["analysis_result"]
    assert _local_files(tmp_path) == []
