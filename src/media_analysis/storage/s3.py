"""Job files in S3-compatible object storage (AWS S3, MinIO, R2, Ceph RGW) through obstore.

``upload:<job>/original`` is the object ``<prefix>/uploads/<job>/original``. A process
keeps local copies only while it works on them, in the upload and output folders, which
act as its scratch space.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import obstore
from obstore.exceptions import BaseError, NotFoundError
from obstore.store import S3Store

from media_analysis.config import Settings, parse_storage_url
from media_analysis.storage.base import (
    MeasuredStorage,
    StoredFolder,
    StoredObject,
    StoreUnavailable,
)
from media_analysis.storage.paths import ROOTS, job_folder_of, resolve_stored, split_location

if TYPE_CHECKING:
    from obstore import ObjectMeta

FOLDERS = {"upload": "uploads", "output": "outputs"}
ROOT_OF_FOLDER = {folder: root for root, folder in FOLDERS.items()}
DOWNLOAD_CHUNK = 1024 * 1024
CHECK_TIMEOUT = 5.0


class S3Storage(MeasuredStorage):
    backend = "s3"
    keeps_files_locally = False

    def __init__(self, settings: Settings, store: S3Store | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.store = store or build_store(settings)

    def local_path(self, location: str) -> Path:
        return resolve_stored(self.settings, location)

    @contextmanager
    def calling(self, operation: str) -> Iterator[None]:
        """Measure one operation; a missing object is FileNotFoundError, other failures
        StoreUnavailable (naming the operation, never the bucket or credentials)."""
        with self.measure(operation):
            try:
                yield
            except NotFoundError:
                raise FileNotFoundError(operation) from None
            except BaseError as exc:
                message = f"object store {operation} failed ({type(exc).__name__})"
                raise StoreUnavailable(message) from exc

    async def put_file(self, location: str, source: Path, content_type: str | None) -> None:
        size = (await asyncio.to_thread(source.stat)).st_size
        await self._put(location, source, content_type)
        self.count_bytes("in", size)
        await asyncio.to_thread(source.unlink, True)

    async def put_stream(
        self, location: str, chunks: AsyncIterable[bytes], content_type: str | None
    ) -> int:
        # A writer fed from this task, rather than handing obstore the iterator: its
        # background tasks then hold no Python objects past the upload.
        total = 0
        with self.calling("put"):
            async with obstore.open_writer_async(
                self.store,
                object_key(location),
                attributes=_attributes(content_type),
                buffer_size=self.settings.storage_part_bytes,
                max_concurrency=self.settings.storage_concurrency,
            ) as writer:
                async for chunk in chunks:
                    await writer.write(chunk)
                    total += len(chunk)
        self.count_bytes("in", total)
        return total

    async def _put(self, location: str, payload: Path, content_type: str | None) -> None:
        """Objects larger than one part go up as a multipart upload, parts in parallel."""
        with self.calling("put"):
            await obstore.put_async(
                self.store,
                object_key(location),
                payload,
                attributes=_attributes(content_type),
                chunk_size=self.settings.storage_part_bytes,
                max_concurrency=self.settings.storage_concurrency,
            )

    async def fetch(self, location: str) -> Path:
        target = self.local_path(location)
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        try:
            with self.calling("fetch"):
                result = await obstore.get_async(self.store, object_key(location))
                with partial.open("wb") as out:
                    async for chunk in result.stream(min_chunk_size=DOWNLOAD_CHUNK):
                        out.write(chunk)
                        self.count_bytes("out", len(chunk))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, target)
        return target

    async def read_range(self, location: str, start: int, end: int) -> AsyncIterator[bytes]:
        with self.calling("read"):
            result = await obstore.get_async(
                self.store, object_key(location), options={"range": (start, end)}
            )
            async for chunk in result.stream(min_chunk_size=DOWNLOAD_CHUNK):
                self.count_bytes("out", len(chunk))
                yield bytes(chunk)

    async def stat(self, location: str) -> StoredObject | None:
        try:
            with self.calling("stat"):
                meta = await obstore.head_async(self.store, object_key(location))
        except (FileNotFoundError, ValueError):
            return None
        return _stored_object(location, meta)

    async def delete_many(self, locations: Sequence[str]) -> None:
        keys = [object_key(location) for location in locations]
        with self.calling("delete"):
            # A location may name a folder (a job's): everything under it goes too.
            for key in list(keys):
                async for batch in obstore.list(self.store, prefix=key):
                    keys.extend(meta["path"] for meta in batch)
            if keys:
                await obstore.delete_async(self.store, keys)

    async def list_job_folders(self) -> list[StoredFolder]:
        newest: dict[str, StoredObject] = {}
        async for stored in self.list_prefix(""):
            folder = job_folder_of(stored.location)
            if folder is not None and (
                folder not in newest or newest[folder].modified < stored.modified
            ):
                newest[folder] = stored
        return [
            StoredFolder(uuid.UUID(folder.partition(":")[2]), folder, found.modified.timestamp())
            for folder, found in newest.items()
        ]

    async def presign(self, location: str, expires: timedelta) -> str | None:
        with self.calling("presign"):
            return await obstore.sign_async(self.store, "GET", object_key(location), expires)

    async def list_prefix(self, prefix: str) -> AsyncIterator[StoredObject]:
        root_name, _, relative = prefix.partition(":")
        roots = [root_name] if root_name in ROOTS else list(ROOTS)
        for name in roots:
            with self.calling("list"):
                stream = obstore.list(self.store, prefix=f"{FOLDERS[name]}/{relative}")
                async for batch in stream:
                    for meta in batch:
                        yield _stored_object(location_of(meta["path"]), meta)

    async def check(self) -> dict[str, Any]:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                with self.measure("list"):
                    await obstore.list_with_delimiter_async(self.store, FOLDERS["output"])
        except TimeoutError:
            return {"status": "error", "backend": self.backend, "error": "store did not answer"}
        except BaseError as exc:
            error = f"store unreachable ({type(exc).__name__})"
            return {"status": "error", "backend": self.backend, "error": error}
        return {"status": "ok", "backend": self.backend}


def build_store(settings: Settings) -> S3Store:
    _, bucket, prefix = parse_storage_url(settings.storage_url)
    config: dict[str, Any] = {
        "region": settings.aws_region,
        "virtual_hosted_style_request": not settings.aws_s3_force_path_style,
    }
    secrets = {
        "access_key_id": settings.aws_access_key_id,
        "secret_access_key": settings.aws_secret_access_key,
        "session_token": settings.aws_session_token,
    }
    config.update({k: v.get_secret_value() for k, v in secrets.items() if v.get_secret_value()})
    if settings.aws_endpoint_url:
        config["endpoint"] = settings.aws_endpoint_url
    allow_http = settings.aws_endpoint_url.startswith("http://")
    return S3Store(
        bucket,
        prefix=prefix or None,
        config=config,  # type: ignore[arg-type]
        client_options={"allow_http": allow_http, "connect_timeout": "10s"},
    )


def object_key(location: str) -> str:
    root, relative = split_location(location)
    return f"{FOLDERS[root]}/{relative}"


def location_of(key: str) -> str:
    folder, _, relative = key.partition("/")
    return f"{ROOT_OF_FOLDER[folder]}:{relative}"


def _attributes(content_type: str | None) -> dict[Any, str] | None:
    return {"Content-Type": content_type} if content_type else None


def _stored_object(location: str, meta: ObjectMeta) -> StoredObject:
    return StoredObject(location, meta["size"], meta["last_modified"], meta.get("e_tag"))
