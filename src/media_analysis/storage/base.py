"""What every store of job files offers, whatever keeps the bytes.

A file is named by its stored location (``upload:<job>/original``,
``output:<job>/frames/frame_000001.jpg``, see ``storage.paths``); each backend maps a
location to a path or an object key. Byte counts and latencies of every operation go to
``StorageMetrics`` when one is attached.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from media_analysis.storage.metrics import StorageMetrics


class StoreUnavailable(ConnectionError):
    """The store could not be reached or refused the operation (a missing file is
    ``FileNotFoundError``). Workers retry the job; the API answers 503."""


@dataclass(frozen=True)
class StoredFolder:
    """A job's folder (``upload:<job>`` or ``output:<job>``), whether or not its job exists."""

    job_id: uuid.UUID
    location: str
    modified_at: float
    """Seconds since the epoch of the newest change under it."""


@dataclass(frozen=True)
class StoredObject:
    location: str
    size: int
    modified: datetime
    etag: str | None = None


class Storage(Protocol):
    backend: str
    """``filesystem`` or ``s3``: the label of its metrics and readiness check."""

    def attach_metrics(self, metrics: StorageMetrics) -> None: ...

    def local_path(self, location: str) -> Path:
        """Where this process keeps the location's bytes while it works on them."""
        ...

    @property
    def keeps_files_locally(self) -> bool:
        """True when ``local_path`` is the stored file itself (nothing to fetch or upload)."""
        ...

    async def put_file(self, location: str, source: Path, content_type: str | None) -> None:
        """Store ``source`` under ``location``; the source file is taken (moved or removed)."""
        ...

    async def put_stream(
        self, location: str, chunks: AsyncIterable[bytes], content_type: str | None
    ) -> int:
        """Store the bytes ``chunks`` yields, never holding them all; returns their count."""
        ...

    async def fetch(self, location: str) -> Path:
        """A local file with the location's bytes (downloaded to ``local_path`` if needed)."""
        ...

    def read_range(self, location: str, start: int, end: int) -> AsyncIterator[bytes]:
        """Bytes ``start`` up to (not including) ``end``, in chunks."""
        ...

    async def stat(self, location: str) -> StoredObject | None: ...

    async def delete_many(self, locations: Sequence[str]) -> None:
        """Remove every location, a file or a folder with all under it (batched); locations
        already gone are no error."""
        ...

    async def list_job_folders(self) -> list[StoredFolder]:
        """Every job's folder in the store, for sweeping those whose job no longer exists."""
        ...

    async def presign(self, location: str, expires: timedelta) -> str | None:
        """A short-lived URL that downloads the location directly, when the backend has one."""
        ...

    def list_prefix(self, prefix: str) -> AsyncIterator[StoredObject]:
        """Everything stored under a location prefix such as ``output:`` or ``upload:<job>/``."""
        ...

    async def check(self) -> dict[str, Any]:
        """Readiness: ``{"status": "ok" | "error", ...}``."""
        ...


class MeasuredStorage:
    """Counting and timing shared by the backends."""

    backend = "unknown"

    def __init__(self) -> None:
        self._metrics: StorageMetrics | None = None

    def attach_metrics(self, metrics: StorageMetrics) -> None:
        self._metrics = metrics

    @contextmanager
    def measure(self, operation: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            if self._metrics is not None:
                elapsed = time.perf_counter() - started
                self._metrics.observe(self.backend, operation, elapsed)

    def count_bytes(self, direction: str, count: int) -> None:
        if self._metrics is not None:
            self._metrics.count_bytes(self.backend, direction, count)
