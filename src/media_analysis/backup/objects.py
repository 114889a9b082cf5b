"""Job files kept in object storage, in and out of a backup.

A backup holds them as it holds the folders' files, as ``uploads/…`` and ``outputs/…``
with their sizes and checksums, so a backup made with either store restores into either.
"""

from __future__ import annotations

import asyncio
import mimetypes
from pathlib import Path

from media_analysis.backup.files import FileEntry, checksum, regular_files
from media_analysis.config import Settings
from media_analysis.storage import Storage, open_storage, split_location

FOLDERS = {"upload": "uploads", "output": "outputs"}
DELETE_BATCH = 1000


async def back_up_objects(settings: Settings, folder: Path) -> list[FileEntry]:
    """Download every stored object into the backup's ``uploads/`` and ``outputs/``."""
    into_backup = open_storage(
        settings.model_copy(
            update={"upload_dir": folder / FOLDERS["upload"], "output_dir": folder / "outputs"}
        )
    )
    entries = []
    async for stored in into_backup.list_prefix(""):
        path = await into_backup.fetch(stored.location)
        root, relative = split_location(stored.location)
        entries.append(await asyncio.to_thread(checksum, path, f"{FOLDERS[root]}/{relative}"))
    return entries


async def store_has_objects(storage: Storage) -> bool:
    async for _stored in storage.list_prefix(""):
        return True
    return False


async def empty_store(storage: Storage) -> None:
    locations = [stored.location async for stored in storage.list_prefix("")]
    for start in range(0, len(locations), DELETE_BATCH):
        await storage.delete_many(locations[start : start + DELETE_BATCH])


async def upload_restored_files(storage: Storage, settings: Settings) -> int:
    """Put the files a restore copied into the local folders into the store (and remove
    the local copies): the folders were only the way in."""
    uploaded = 0
    for root, folder in (("upload", settings.upload_dir), ("output", settings.output_dir)):
        for relative in await asyncio.to_thread(_files_under, folder):
            content_type, _ = mimetypes.guess_type(relative.name)
            await storage.put_file(f"{root}:{relative.as_posix()}", folder / relative, content_type)
            uploaded += 1
    return uploaded


def _files_under(folder: Path) -> list[Path]:
    return list(regular_files(folder))
