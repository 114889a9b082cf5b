"""Job files on the local disk, under the upload and output folders (the default)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from media_analysis.config import Settings
from media_analysis.storage.base import MeasuredStorage, StoredFolder, StoredObject
from media_analysis.storage.paths import (
    ROOTS,
    job_folder_of,
    resolve_stored,
    split_location,
    stored_path,
)

READ_CHUNK = 256 * 1024
MIN_FREE_BYTES = 512 * 1024**2


def _move(source: Path, target: Path) -> int:
    """Bytes moved: none when the source already is the stored file."""
    if source.resolve() == target:
        return 0
    size = source.stat().st_size
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, target)
    return size


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except FileNotFoundError:
        pass  # removed meanwhile by another sweep


def _under(relative: str, folder: str) -> bool:
    """Whether a relative path is in ``folder`` (whole path segments, as object stores list)."""
    folder = folder.rstrip("/")
    return not folder or relative == folder or relative.startswith(f"{folder}/")


class LocalStorage(MeasuredStorage):
    backend = "filesystem"
    keeps_files_locally = True

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def local_path(self, location: str) -> Path:
        return resolve_stored(self.settings, location)

    async def put_file(self, location: str, source: Path, content_type: str | None) -> None:
        with self.measure("put"):
            moved = await asyncio.to_thread(_move, source, self.local_path(location))
        self.count_bytes("in", moved)

    async def put_stream(
        self, location: str, chunks: AsyncIterable[bytes], content_type: str | None
    ) -> int:
        target = self.local_path(location)
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with self.measure("put"), target.open("wb") as out:
            async for chunk in chunks:
                out.write(chunk)
                written += len(chunk)
        self.count_bytes("in", written)
        return written

    async def fetch(self, location: str) -> Path:
        # The stored file itself: a missing one shows when it is read, as it always has.
        return self.local_path(location)

    async def read_range(self, location: str, start: int, end: int) -> AsyncIterator[bytes]:
        with self.measure("read"), self.local_path(location).open("rb") as source:
            source.seek(start)
            remaining = end - start
            while remaining > 0:
                chunk = await asyncio.to_thread(source.read, min(READ_CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                self.count_bytes("out", len(chunk))
                yield chunk

    async def stat(self, location: str) -> StoredObject | None:
        try:
            facts = self.local_path(location).stat()
        except (FileNotFoundError, ValueError):
            return None
        modified = datetime.fromtimestamp(facts.st_mtime, UTC)
        return StoredObject(location, facts.st_size, modified)

    async def delete_many(self, locations: Sequence[str]) -> None:
        with self.measure("delete"):
            await asyncio.to_thread(self._delete, list(locations))

    def _delete(self, locations: list[str]) -> None:
        for location in locations:
            split_location(location)  # never a root itself, never a legacy plain path
            _remove(self.local_path(location))

    async def list_job_folders(self) -> list[StoredFolder]:
        with self.measure("list"):
            return await asyncio.to_thread(self._job_folders)

    def _job_folders(self) -> list[StoredFolder]:
        found = []
        for name in ROOTS:
            root = resolve_stored(self.settings, f"{name}:")
            entries = list(os.scandir(root)) if root.is_dir() else []
            for entry in entries:
                location = job_folder_of(f"{name}:{entry.name}")
                if location is not None and entry.is_dir(follow_symlinks=False):
                    modified = entry.stat(follow_symlinks=False).st_mtime
                    found.append(StoredFolder(uuid.UUID(entry.name), location, modified))
        return found

    async def presign(self, location: str, expires: timedelta) -> str | None:
        return None

    async def list_prefix(self, prefix: str) -> AsyncIterator[StoredObject]:
        root_name, _, relative = prefix.partition(":")
        roots = [root_name] if root_name in ROOTS else list(ROOTS)
        with self.measure("list"):
            for name in roots:
                for found in await asyncio.to_thread(self._walk, name, relative):
                    yield found

    def _walk(self, root_name: str, relative: str) -> list[StoredObject]:
        root = resolve_stored(self.settings, f"{root_name}:")
        found = []
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = Path(folder) / name
                location = stored_path(self.settings, path)
                if _under(location.partition(":")[2], relative):
                    facts = path.stat()
                    modified = datetime.fromtimestamp(facts.st_mtime, UTC)
                    found.append(StoredObject(location, facts.st_size, modified))
        return found

    async def check(self) -> dict[str, Any]:
        folders = [self.settings.upload_dir, self.settings.output_dir]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            if not os.access(folder, os.W_OK):
                return {"status": "error", "error": f"{folder.name} directory is not writable"}
        free = min(shutil.disk_usage(folder).free for folder in folders)
        status = "ok" if free >= MIN_FREE_BYTES else "error"
        return {"status": status, "backend": self.backend, "free_bytes": free}
