"""Where a job's files live on local disk, and how their locations are stored.

Stored locations are relative to the upload or output root (``upload:<job>/original.mp4``,
``output:<job>/frames/frame_000001.jpg``), so the data folders can move. A job's files
all live under its two folders, ``upload:<job>`` and ``output:<job>``. The same location
names an object in the object store (see ``storage.s3``); there the folders hold only the
work in progress of the jobs this process runs.
"""

from __future__ import annotations

import asyncio
import shutil
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

from media_analysis.config import Settings

ROOTS = ("upload", "output")


@dataclass(frozen=True)
class JobFiles:
    settings: Settings
    job_id: uuid.UUID

    @property
    def upload_dir(self) -> Path:
        return self.settings.upload_dir / str(self.job_id)

    @property
    def output_dir(self) -> Path:
        return self.settings.output_dir / str(self.job_id)

    def stored(self, path: Path) -> str:
        return stored_path(self.settings, path)


def stored_path(settings: Settings, path: Path) -> str:
    resolved = path.resolve()
    for name, root in zip(ROOTS, _roots(settings), strict=True):
        if resolved.is_relative_to(root):
            return f"{name}:{resolved.relative_to(root).as_posix()}"
    raise ValueError("file is outside the upload and output folders")


def resolve_stored(settings: Settings, stored: str) -> Path:
    rooted = _rooted(settings, stored)
    return Path(stored) if rooted is None else rooted[1]


def job_locations(job_id: uuid.UUID) -> tuple[str, ...]:
    """The stored locations of a job's folders: everything the job wrote lives under them."""
    return tuple(f"{name}:{job_id}" for name in ROOTS)


@dataclass(frozen=True)
class StoredFolder:
    job_id: uuid.UUID
    location: str
    modified_at: float
    """Seconds since the epoch."""


async def list_job_folders(settings: Settings) -> list[StoredFolder]:
    """Every job folder in storage, whether or not its job still exists."""
    return await asyncio.to_thread(_job_folders, settings)


async def remove_stored(settings: Settings, stored: str) -> None:
    """Remove a stored file or folder and everything under it; one already gone is fine.

    Only locations under the upload and output folders qualify, never a folder itself.
    """
    rooted = _rooted(settings, stored)
    if rooted is None or rooted[1] == rooted[0]:
        raise ValueError(f"{stored!r} is not a file or folder in storage")
    await asyncio.to_thread(_remove_path, rooted[1])


def incoming_dir(settings: Settings) -> Path:
    """Uploads land here until their job exists."""
    folder = settings.upload_dir / ".incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _roots(settings: Settings) -> tuple[Path, Path]:
    return settings.upload_dir.resolve(), settings.output_dir.resolve()


def _rooted(settings: Settings, stored: str) -> tuple[Path, Path] | None:
    """The root and the resolved path of a stored location; None for a legacy plain path."""
    name, sep, relative = stored.partition(":")
    if not sep or name not in ROOTS:
        return None
    root = dict(zip(ROOTS, _roots(settings), strict=True))[name]
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root):
        raise ValueError("stored path escapes its folder")
    return root, candidate


def _remove_path(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except FileNotFoundError:
        pass  # removed meanwhile by another sweep


def _job_folders(settings: Settings) -> list[StoredFolder]:
    folders: list[StoredFolder] = []
    for name, root in zip(ROOTS, _roots(settings), strict=True):
        if root.is_dir():
            found = (_job_folder(name, entry) for entry in root.iterdir())
            folders.extend(folder for folder in found if folder is not None)
    return folders


def _job_folder(root_name: str, entry: Path) -> StoredFolder | None:
    job_id = _job_id(entry.name)
    if job_id is None:
        return None
    try:
        status = entry.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISDIR(status.st_mode):
        return None
    return StoredFolder(job_id, f"{root_name}:{entry.name}", status.st_mtime)


def _job_id(name: str) -> uuid.UUID | None:
    """Only folders named exactly as a job id are job folders (never ``.incoming``)."""
    try:
        job_id = uuid.UUID(name)
    except ValueError:
        return None
    return job_id if str(job_id) == name else None


def split_location(stored: str) -> tuple[str, str]:
    """``"output:<job>/frames/f.jpg"`` → ``("output", "<job>/frames/f.jpg")``, checked."""
    name, sep, relative = stored.partition(":")
    parts = relative.split("/")
    if not sep or name not in ROOTS or not relative or ".." in parts or relative.startswith("/"):
        raise ValueError("not a stored location")
    return name, relative


def job_folder_of(stored: str) -> str | None:
    """``"output:<job>/frames/f.jpg"`` → ``"output:<job>"``; None outside a job's folder."""
    name, _, relative = stored.partition(":")
    folder = relative.split("/", 1)[0]
    try:
        uuid.UUID(folder)
    except ValueError:
        return None
    return f"{name}:{folder}" if name in ROOTS and len(folder) == 36 else None
