"""A job's files between the store and the local folders the job works in.

With the filesystem store the folders are the store and nothing moves. With object
storage a worker fetches what it reads, works on local copies, puts what it made into the
store (a few files at a time) before the job completes, and always leaves its folders
empty, whether the job succeeds, fails or is cancelled.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from media_analysis.db.models import MediaAsset
from media_analysis.jobs.registry import JobContext
from media_analysis.storage import JobFiles, Storage

HASH_CHUNK = 1024 * 1024
ResultT = TypeVar("ResultT")


def keeping_files_in_store(
    handler: Callable[[JobContext], Awaitable[ResultT]],
) -> Callable[[JobContext], Awaitable[ResultT]]:
    async def run(context: JobContext) -> ResultT:
        try:
            result = await handler(context)
            await store_outputs(context)
            return result
        finally:
            if not context.storage.keeps_files_locally:
                files = JobFiles(context.settings, context.job.id)
                local = [files.upload_dir, files.output_dir, *_fetched(context)]
                await asyncio.to_thread(_remove_local, local)

    return run


async def store_outputs(context: JobContext) -> None:
    """Every file the job staged a row for goes to the store; rows learn their checksum."""
    assets = [row for row in context.staged if isinstance(row, MediaAsset)]
    limit = asyncio.Semaphore(context.settings.storage_concurrency)

    async def store(asset: MediaAsset) -> None:
        async with limit:
            await _store_asset(context.storage, asset)

    async with asyncio.TaskGroup() as group:
        for asset in assets:
            group.create_task(store(asset))


async def fetch_all(context: JobContext, locations: Sequence[str]) -> list[Path]:
    """Local copies of stored files (a few fetched at a time), in the order asked.

    Files of other jobs are fetched too (re-analysis reads its source job's); with object
    storage every copy is removed when the job's handler ends.
    """
    limit = asyncio.Semaphore(context.settings.storage_concurrency)

    async def fetch(location: str) -> Path:
        async with limit:
            path = await context.storage.fetch(location)
            _fetched(context).append(path)
            return path

    return list(await asyncio.gather(*(fetch(location) for location in locations)))


async def _store_asset(storage: Storage, asset: MediaAsset) -> None:
    local = storage.local_path(asset.file_path)
    if not await asyncio.to_thread(local.is_file):
        return
    if asset.sha256 is None:
        asset.sha256 = await asyncio.to_thread(sha256_of, local)
    if not storage.keeps_files_locally:
        await storage.put_file(asset.file_path, local, asset.mime_type)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fetched(context: JobContext) -> list[Path]:
    fetched: list[Path] = context.scratch.setdefault("fetched_files", [])
    return fetched


def _remove_local(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
