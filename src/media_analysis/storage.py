"""Where a job's files live, and how their paths are stored.

Stored paths are relative to the upload or output root (``upload:<job>/original.mp4``,
``output:<job>/frames/frame_000001.jpg``), so the data folders can move.
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
    name, sep, relative = stored.partition(":")
    if not sep or name not in ROOTS:
        return Path(stored)
    root = dict(zip(ROOTS, _roots(settings), strict=True))[name]
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root):
        raise ValueError("stored path escapes its folder")
    return candidate


def incoming_dir(settings: Settings) -> Path:
    """Uploads land here until their job exists."""
    folder = settings.upload_dir / ".incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _roots(settings: Settings) -> tuple[Path, Path]:
    return settings.upload_dir.resolve(), settings.output_dir.resolve()
