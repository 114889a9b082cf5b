"""The files of a backup: its manifest, and copying folders with a checksum of every file.

A backup folder holds ``manifest.json``, ``database.dump`` and copies of the upload
and output folders under ``uploads/`` and ``outputs/``. The manifest lists every other
file with its size and SHA-256, so a restore can refuse a damaged or altered backup.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pydantic import BaseModel, ValidationError

from media_analysis.backup.pg_client import BackupError

MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
FORMAT_VERSION = 1
CHUNK_BYTES = 1024 * 1024
# Uploads still streaming in when the backup runs; they belong to no job yet.
SKIPPED_FOLDERS = frozenset({".incoming"})


class FileEntry(BaseModel):
    path: str
    size: int
    sha256: str


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    created_at: str
    alembic_revision: str | None
    server_version: str
    pg_dump_version: str
    tables: dict[str, int]
    files: list[FileEntry]

    @property
    def dump_major(self) -> int:
        return int(self.pg_dump_version.split(".")[0])


def write_manifest(folder: Path, manifest: Manifest) -> None:
    (folder / MANIFEST).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    try:
        manifest = Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise BackupError(f"{path} is missing: this is not a backup folder") from None
    except ValidationError as exc:
        problems = exc.error_count()
        raise BackupError(f"{path} is not a valid backup manifest ({problems} errors)") from None
    if manifest.format_version != FORMAT_VERSION:
        raise BackupError(f"backup format {manifest.format_version} is not supported")
    return manifest


def copy_file(source: Path, destination: Path, name: str) -> FileEntry:
    """Copy one file and checksum the bytes on the way (one read of each file)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reader, destination.open("wb") as writer:
        entry = _read_entry(reader, name, writer.write)
    shutil.copystat(source, destination)
    return entry


def checksum(path: Path, name: str) -> FileEntry:
    with path.open("rb") as reader:
        return _read_entry(reader, name)


def _read_entry(
    reader: BinaryIO, name: str, write: Callable[[bytes], object] | None = None
) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    while chunk := reader.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
        if write is not None:
            write(chunk)
    return FileEntry(path=name, size=size, sha256=digest.hexdigest())


def copy_tree(source: Path, destination: Path, prefix: str) -> list[FileEntry]:
    """Copy every regular file under ``source``; entries are named ``prefix/relative``."""
    return [
        copy_file(source / relative, destination / relative, f"{prefix}/{relative.as_posix()}")
        for relative in regular_files(source)
    ]


def regular_files(root: Path) -> Iterator[Path]:
    """Relative paths of the regular files under ``root``; symlinks are not followed."""
    if not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        if here == root:
            subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        subfolders.sort()
        for name in sorted(files):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root)


def verify_backup(folder: Path, manifest: Manifest) -> None:
    """Every listed file is present with its size and checksum, and nothing else is."""
    listed = {entry.path: entry for entry in manifest.files}
    for name in listed:
        _check_name(name)
    present = {path.as_posix() for path in regular_files(folder)} - {MANIFEST}
    problems = [f"missing {name}" for name in sorted(listed.keys() - present)]
    problems += [f"unexpected {name}" for name in sorted(present - listed.keys())]
    for name in sorted(listed.keys() & present):
        entry = listed[name]
        if checksum(folder / name, name) != entry:
            problems.append(f"{name} does not match its checksum")
    if DATABASE_DUMP not in listed:
        problems.append(f"the manifest does not list {DATABASE_DUMP}")
    if problems:
        shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        raise BackupError(f"the backup in {folder} is damaged or altered: {shown}")


def restore_tree(folder: Path, manifest: Manifest, prefix: str, destination: Path) -> int:
    """Copy the backup's ``prefix/`` files into ``destination``, checking each checksum."""
    copied = 0
    for entry in manifest.files:
        head, _, relative = entry.path.partition("/")
        if head != prefix:
            continue
        _check_name(entry.path)
        if copy_file(folder / entry.path, destination / relative, entry.path) != entry:
            raise BackupError(f"{entry.path} changed while it was being restored")
        copied += 1
    return copied


def folders_with_files(folders: Iterable[Path]) -> list[str]:
    return [str(folder) for folder in folders if next(regular_files(folder), None) is not None]


def prepare_folders(folders: Iterable[Path], *, empty: bool) -> None:
    """Create the folders; with ``empty``, delete what is inside them first.

    The folders themselves stay, as they may be mount points.
    """
    for folder in folders:
        if empty and folder.is_dir():
            for child in folder.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        folder.mkdir(parents=True, exist_ok=True)


def _check_name(name: str) -> None:
    """Manifests are input: a listed path must stay inside the backup and its target."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupError(f"the manifest lists an unsafe path: {name!r}")
