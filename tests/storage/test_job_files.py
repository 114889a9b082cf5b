"""A handler's files: put into the store with their checksums, local copies always removed."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from media_analysis.config import Settings
from media_analysis.db.models import MediaAsset
from media_analysis.jobs.registry import JobContext
from media_analysis.pipelines.stored_files import keeping_files_in_store
from media_analysis.storage import JobFiles, open_storage
from tests.conftest import make_settings
from tests.s3_server import S3Bucket


def _context(settings: Settings) -> JobContext:
    job: Any = SimpleNamespace(id=uuid.uuid4(), parameters={})
    return JobContext(
        job,
        settings,
        progress=None,
        session_factory=None,
        providers=None,
        storage=open_storage(settings),
    )  # type: ignore[arg-type]


async def _makes_a_frame(context: JobContext) -> dict[str, Any]:
    files = JobFiles(context.settings, context.job.id)
    frame = files.output_dir / "frames" / "frame_000001.jpg"
    frame.parent.mkdir(parents=True)
    frame.write_bytes(b"\xff\xd8\xff frame")
    context.stage(
        MediaAsset(
            job_id=context.job.id,
            asset_type="frame",
            file_path=files.stored(frame),
            mime_type="image/jpeg",
        )
    )
    return {"frames": 1}


def _local_files(settings: Settings) -> list[Path]:
    roots = [settings.upload_dir, settings.output_dir]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


async def test_with_object_storage_outputs_go_to_the_bucket_and_nothing_stays(
    s3_bucket: S3Bucket, tmp_path: Path
) -> None:
    context = _context(s3_bucket.settings(tmp_path))
    assert await keeping_files_in_store(_makes_a_frame)(context) == {"frames": 1}
    (asset,) = context.staged
    assert isinstance(asset, MediaAsset)
    assert asset.sha256 == hashlib.sha256(b"\xff\xd8\xff frame").hexdigest()
    stored = await context.storage.stat(asset.file_path)
    assert stored is not None and stored.size == len(b"\xff\xd8\xff frame")
    assert _local_files(context.settings) == []


@pytest.mark.parametrize("ending", [RuntimeError("ffmpeg failed"), asyncio.CancelledError()])
async def test_a_handler_that_fails_or_is_cancelled_leaves_no_local_files(
    s3_bucket: S3Bucket, tmp_path: Path, ending: BaseException
) -> None:
    context = _context(s3_bucket.settings(tmp_path))

    async def ends_badly(context: JobContext) -> dict[str, Any]:
        await _makes_a_frame(context)
        raise ending

    with pytest.raises(type(ending)):
        await keeping_files_in_store(ends_badly)(context)
    assert _local_files(context.settings) == []
    assert [item async for item in context.storage.list_prefix("")] == []


async def test_on_the_filesystem_files_stay_where_they_were_made(tmp_path: Path) -> None:
    context = _context(make_settings(tmp_path))
    await keeping_files_in_store(_makes_a_frame)(context)
    (asset,) = context.staged
    assert isinstance(asset, MediaAsset)
    assert asset.sha256 == hashlib.sha256(b"\xff\xd8\xff frame").hexdigest()
    assert context.storage.local_path(asset.file_path).read_bytes() == b"\xff\xd8\xff frame"
