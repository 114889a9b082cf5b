"""Where job files are kept: the local folders (default) or S3-compatible object storage."""

from __future__ import annotations

from media_analysis.config import Settings, parse_storage_url
from media_analysis.storage.base import Storage, StoredFolder, StoredObject, StoreUnavailable
from media_analysis.storage.paths import (
    ROOTS,
    JobFiles,
    incoming_dir,
    job_locations,
    resolve_stored,
    split_location,
    stored_path,
)

__all__ = [
    "ROOTS",
    "JobFiles",
    "Storage",
    "StoreUnavailable",
    "StoredFolder",
    "StoredObject",
    "incoming_dir",
    "job_locations",
    "open_storage",
    "resolve_stored",
    "split_location",
    "stored_path",
]


def open_storage(settings: Settings) -> Storage:
    """The store that ``MEDIA_ANALYSIS_STORAGE_URL`` names."""
    scheme, _, _ = parse_storage_url(settings.storage_url)
    if scheme == "s3":
        from media_analysis.storage.s3 import S3Storage

        return S3Storage(settings)
    from media_analysis.storage.local import LocalStorage

    return LocalStorage(settings)
