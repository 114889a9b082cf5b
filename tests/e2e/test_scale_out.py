"""Two "hosts": an API and a standalone worker sharing only PostgreSQL and a bucket."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.server import running_cli, running_server, service_env
from tests.paths import DATA
from tests.s3_server import S3Bucket

BUNNY = DATA / "bigbuckbunny.mp4"


def _files_under(host: Path) -> list[Path]:
    folders = [host / "uploads", host / "outputs"]
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def _finished(base_url: str, job_id: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = httpx.get(f"{base_url}/api/media/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed", "cancelled") or time.monotonic() > deadline:
            return job
        time.sleep(0.5)


def test_a_worker_on_another_host_completes_a_video_job_through_the_bucket(
    tmp_path: Path, fresh_db: str, s3_bucket: S3Bucket
) -> None:
    api_host, worker_host = tmp_path / "api", tmp_path / "worker"
    api_host.mkdir()
    worker_host.mkdir()
    shared = {"DATABASE_URL": fresh_db, **s3_bucket.env()}
    api_env = service_env(api_host, **shared)
    worker_env = service_env(worker_host, **shared)
    with running_server(api_env, "--workers", "0") as base_url:
        with BUNNY.open("rb") as handle:
            submitted = httpx.post(
                f"{base_url}/api/media/video/contact-sheet",
                files={"file": (BUNNY.name, handle, "video/mp4")},
                timeout=60,
            )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["id"]
        assert _files_under(api_host) == []  # the upload went straight to the bucket

        command = ["worker", "--concurrency", "1", "--no-migrate"]
        with running_cli(worker_env, command, "worker"):
            job = _finished(base_url, job_id, timeout=180)
            worker_left = _files_under(worker_host)

        assert job["status"] == "completed", job["error"]
        sheets = job["result"]["contact_sheets"]
        assert [len(sheet["tiles"]) for sheet in sheets] == [6, 6, 4]
        downloads = [httpx.get(f"{base_url}{sheet['url']}") for sheet in sheets]
        frames = httpx.get(f"{base_url}/api/media/jobs/{job_id}/assets?asset_type=frame").json()

    assert all(d.status_code == 200 and d.content[:3] == b"\xff\xd8\xff" for d in downloads)
    assert all(d.headers["content-type"] == "image/jpeg" for d in downloads)
    assert len(frames) == job["result"]["frame_count"] > 0
    assert worker_left == []
    assert _files_under(api_host) == []
