"""Reading and copying legacy files: checksums, image sizes, verified copies.

Copies go to a temporary sibling first and are renamed into place, so a destination
is either absent, the previous copy, or a complete new one. The source is only read.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Checksum:
    sha256: str
    size: int


def checksum(path: Path) -> Checksum:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return Checksum(digest.hexdigest(), size)


def checksum_if_present(path: Path) -> str | None:
    try:
        return checksum(path).sha256
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height from the image header; None when it is not a readable image."""
    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


class CopyMismatch(Exception):
    """The source no longer has the checksum it had when the import was planned."""


def copy_verified(source: Path, destination: Path, expected_sha256: str) -> bool:
    """Make ``destination`` a copy of ``source``; False when an identical copy was there.

    Raises CopyMismatch (leaving the destination untouched) if the bytes read now
    differ from the planned checksum.
    """
    if checksum_if_present(destination) == expected_sha256:
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    try:
        with os.fdopen(handle, "wb") as target, source.open("rb") as origin:
            digest = _copy_hashing(origin, target)
        if digest != expected_sha256:
            raise CopyMismatch(f"{source} changed while it was being imported")
        shutil.copystat(source, temporary)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _copy_hashing(origin: BinaryIO, target: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := origin.read(CHUNK_BYTES):
        digest.update(chunk)
        target.write(chunk)
    target.flush()
    os.fsync(target.fileno())
    return digest.hexdigest()


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
