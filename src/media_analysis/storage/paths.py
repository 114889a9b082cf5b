"""Where a job's files live on local disk, and how their locations are stored.

Stored locations are relative to the upload or output root (``upload:<job>/original.mp4``,
``output:<job>/frames/frame_000001.jpg``), so the data folders can move. A job's files
all live under its two folders, ``upload:<job>`` and ``output:<job>``. The same location
names an object in the object store (see ``storage.s3``); there the folders hold only the
work in progress of the jobs this process runs.
"""

from __future__ import annotations

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


def _job_id(name: str) -> uuid.UUID | None:
    """Only folders named exactly as a job id are job folders (never ``.incoming``)."""
    try:
        job_id = uuid.UUID(name)
    except ValueError:
        return None
    return job_id if str(job_id) == name else None


def split_location(stored: str) -> tuple[str, str]:
    """``"output:<job>/frames/f.jpg"`` → ``("output", "<job>/frames/f.jpg")``, checked.

    Never a root itself, never a legacy plain path: what may be written or removed.
    """
    name, sep, relative = stored.partition(":")
    parts = relative.split("/")
    if not sep or name not in ROOTS or not relative or ".." in parts or relative.startswith("/"):
        raise ValueError(f"{stored!r} is not a file or folder in storage")
    return name, relative


def job_folder_of(stored: str) -> str | None:
    """``"output:<job>/frames/f.jpg"`` → ``"output:<job>"``; None outside a job's folder."""
    name, _, relative = stored.partition(":")
    folder = relative.split("/", 1)[0]
    return f"{name}:{folder}" if name in ROOTS and _job_id(folder) is not None else None
