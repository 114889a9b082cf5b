"""Both stores behave alike: put, fetch, Range reads, stat, batched delete, listing."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from media_analysis.config import Settings
from media_analysis.storage import Storage, open_storage
from tests.conftest import make_settings
from tests.s3_server import S3Bucket

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB


@pytest.fixture(params=["filesystem", "s3"])
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "filesystem":
        return make_settings(tmp_path / "host")
    bucket: S3Bucket = request.getfixturevalue("s3_bucket")
    return bucket.settings(tmp_path / "host")


@pytest.fixture
def storage(backend_settings: Settings) -> Storage:
    return open_storage(backend_settings)


def write(tmp_path: Path, data: bytes = PAYLOAD) -> Path:
    path = tmp_path / f"source-{uuid.uuid4().hex}"
    path.write_bytes(data)
    return path


def job_location(name: str, root: str = "output") -> str:
    return f"{root}:{uuid.uuid4()}/{name}"


async def test_a_stored_file_is_taken_and_comes_back_whole(
    storage: Storage, backend_settings: Settings, tmp_path: Path
) -> None:
    source = write(tmp_path)
    location = job_location("frames/frame_000001.jpg")
    await storage.put_file(location, source, "image/jpeg")
    assert not source.exists()
    stat = await storage.stat(location)
    assert stat is not None and stat.size == len(PAYLOAD)
    # Another host with its own empty folders gets the same bytes.
    elsewhere = open_storage(backend_settings.model_copy(update={"upload_dir": tmp_path / "x"}))
    fetched = await elsewhere.fetch(location)
    assert fetched.read_bytes() == PAYLOAD


async def test_range_reads_return_exactly_the_bytes_asked_for(
    storage: Storage, tmp_path: Path
) -> None:
    location = job_location("sheets/sheet_0001.jpg")
    await storage.put_file(location, write(tmp_path), None)
    read = b"".join([chunk async for chunk in storage.read_range(location, 1000, 300_000)])
    assert read == PAYLOAD[1000:300_000]
    tail = b"".join(
        [chunk async for chunk in storage.read_range(location, len(PAYLOAD) - 5, len(PAYLOAD))]
    )
    assert tail == PAYLOAD[-5:]


async def test_a_stream_is_stored_and_counted(storage: Storage) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield PAYLOAD

    location = job_location("original", "upload")
    assert await storage.put_stream(location, chunks(), "video/mp4") == 3 * len(PAYLOAD)
    fetched = await storage.fetch(location)
    assert hashlib.sha256(fetched.read_bytes()).digest() == hashlib.sha256(PAYLOAD * 3).digest()


async def test_delete_many_removes_what_it_names_and_ignores_what_is_gone(
    storage: Storage, tmp_path: Path
) -> None:
    job = uuid.uuid4()
    locations = [f"output:{job}/frames/frame_{i:06d}.jpg" for i in range(25)]
    for location in locations:
        await storage.put_file(location, write(tmp_path, b"frame"), "image/jpeg")
    await storage.delete_many([*locations[:20], f"output:{job}/frames/never-stored.jpg"])
    remaining = sorted([found.location async for found in storage.list_prefix(f"output:{job}/")])
    assert remaining == locations[20:]
    assert await storage.stat(locations[0]) is None


async def test_listing_a_prefix_finds_only_what_is_under_it(
    storage: Storage, tmp_path: Path
) -> None:
    job, other = uuid.uuid4(), uuid.uuid4()
    await storage.put_file(f"upload:{job}/original", write(tmp_path, b"v"), None)
    await storage.put_file(f"output:{job}/document.json", write(tmp_path, b"{}"), None)
    await storage.put_file(f"output:{other}/document.json", write(tmp_path, b"{}"), None)
    found = {item.location: item.size async for item in storage.list_prefix(f"output:{job}/")}
    assert found == {f"output:{job}/document.json": 2}
    everything = {item.location async for item in storage.list_prefix("")}
    assert f"upload:{job}/original" in everything and f"output:{other}/document.json" in everything


async def test_locations_outside_the_store_are_refused(storage: Storage) -> None:
    with pytest.raises(ValueError):
        await storage.put_stream("output:../../etc/passwd", _nothing(), None)  # escape attempt


async def test_readiness_check_reports_the_backend(storage: Storage) -> None:
    report = await storage.check()
    assert report["status"] == "ok"
    assert report["backend"] == storage.backend


async def test_presigned_urls_download_from_the_store(s3_bucket: S3Bucket, tmp_path: Path) -> None:
    storage = open_storage(s3_bucket.settings(tmp_path))
    location = job_location("sheets/sheet_0001.jpg")
    await storage.put_file(location, write(tmp_path), "image/jpeg")
    url = await storage.presign(location, timedelta(minutes=5))
    assert url is not None and "X-Amz-Signature=" in url
    response = httpx.get(url)
    assert response.status_code == 200
    assert response.content == PAYLOAD
    assert response.headers["content-type"] == "image/jpeg"


async def test_the_filesystem_has_no_presigned_urls(tmp_path: Path) -> None:
    storage = open_storage(make_settings(tmp_path))
    assert await storage.presign("output:x/y.jpg", timedelta(minutes=5)) is None


async def test_a_missing_bucket_makes_the_store_not_ready(
    s3_bucket: S3Bucket, tmp_path: Path
) -> None:
    settings = s3_bucket.settings(tmp_path, storage_url="s3://no-such-bucket/media")
    report = await open_storage(settings).check()
    assert report["status"] == "error"
    assert "no-such-bucket" not in str(report)


async def _nothing() -> AsyncIterator[bytes]:
    yield b""


async def test_deleting_a_job_folder_removes_everything_under_it(
    storage: Storage, tmp_path: Path
) -> None:
    job, other = uuid.uuid4(), uuid.uuid4()
    for location in (f"output:{job}/frames/a.jpg", f"output:{job}/sheets/b.jpg"):
        await storage.put_file(location, write(tmp_path, b"x"), None)
    await storage.put_file(f"output:{other}/frames/a.jpg", write(tmp_path, b"y"), None)
    await storage.delete_many([f"output:{job}", f"upload:{job}"])
    left = [found.location async for found in storage.list_prefix("output:")]
    assert f"output:{other}/frames/a.jpg" in left
    assert not [location for location in left if str(job) in location]


async def test_job_folders_are_listed_with_their_jobs(storage: Storage, tmp_path: Path) -> None:
    job = uuid.uuid4()
    await storage.put_file(f"upload:{job}/original", write(tmp_path, b"v"), None)
    await storage.put_file(f"output:{job}/frames/a.jpg", write(tmp_path, b"f"), None)
    await storage.put_file("output:not-a-job/file", write(tmp_path, b"n"), None)
    folders = {folder.location: folder for folder in await storage.list_job_folders()}
    assert {f"upload:{job}", f"output:{job}"} <= set(folders)
    assert not [location for location in folders if "not-a-job" in location]
    assert folders[f"output:{job}"].job_id == job
    assert folders[f"output:{job}"].modified_at > time.time() - 600


async def test_a_file_larger_than_one_part_goes_up_in_parts(
    s3_bucket: S3Bucket, tmp_path: Path
) -> None:
    storage = open_storage(s3_bucket.settings(tmp_path, storage_part_bytes=5 * 1024 * 1024))
    location = job_location("original", "upload")
    await storage.put_file(location, write(tmp_path, PAYLOAD * 12), "video/mp4")
    stored = await storage.stat(location)
    assert stored is not None and stored.size == 12 * len(PAYLOAD)
    assert stored.etag is not None and stored.etag.strip('"').endswith("-3")
