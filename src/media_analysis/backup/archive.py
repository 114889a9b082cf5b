"""Backing up and restoring the whole service: the database and the job files.

A backup is consistent on the database side: row counts, the Alembic revision and
``pg_dump`` all read one exported snapshot. Job files are copied after the dump, so
every file a dumped row refers to is there unless a job deleted it in the meantime
(stop the API and workers for a backup that is exact to the byte).

A restore goes only into an empty database and empty folders unless forced, checks
every checksum before touching anything, and checks the row counts afterwards. With
object storage the files come from and go back to the bucket (``backup.objects``).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from media_analysis.backup.database_state import (
    alembic_revision,
    connect,
    drop_user_schemas,
    exported_snapshot,
    has_relations,
    row_counts,
    server_version,
)
from media_analysis.backup.files import (
    DATABASE_DUMP,
    FileEntry,
    Manifest,
    checksum,
    copy_tree,
    folders_with_files,
    prepare_folders,
    read_manifest,
    restore_tree,
    verify_backup,
    write_manifest,
)
from media_analysis.backup.objects import (
    back_up_objects,
    empty_store,
    store_has_objects,
    upload_restored_files,
)
from media_analysis.backup.pg_client import BackupError, find_client, run_client
from media_analysis.config import Settings
from media_analysis.storage import Storage, open_storage

PG_TIMEOUT = 6 * 3600.0


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    files: int


async def create_backup(
    settings: Settings, database_url: str, destination: Path, *, pg_bin: Path | None = None
) -> Manifest:
    """Write a complete backup to ``destination``, which must not exist yet (or be empty).

    The backup is assembled in a hidden sibling folder and renamed into place at the
    end, so a folder under the chosen name is always a finished backup.
    """
    staging = await asyncio.to_thread(_staging_folder, destination)
    try:
        manifest = await _write_backup(settings, database_url, staging, pg_bin)
        await asyncio.to_thread(_publish, staging, manifest, destination)
    except BaseException:
        await asyncio.to_thread(shutil.rmtree, staging, ignore_errors=True)
        raise
    return manifest


def _staging_folder(destination: Path) -> Path:
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} already exists; choose a new folder for the backup")
    destination.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))


def _publish(staging: Path, manifest: Manifest, destination: Path) -> None:
    write_manifest(staging, manifest)
    if destination.exists():
        destination.rmdir()
    staging.rename(destination)


async def _write_backup(
    settings: Settings, database_url: str, folder: Path, pg_bin: Path | None
) -> Manifest:
    created_at = datetime.now(UTC).isoformat()
    async with exported_snapshot(database_url) as (connection, snapshot):
        version = await server_version(connection)
        client = await find_client(int(version.split(".")[0]), pg_bin)
        tables = await row_counts(connection)
        revision = await alembic_revision(connection, tables)
        dump_argv = [
            client.program("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={folder / DATABASE_DUMP}",
        ]
        await run_client(dump_argv, database_url, timeout=PG_TIMEOUT, what="pg_dump")
    if open_storage(settings).keeps_files_locally:
        files = await asyncio.to_thread(_copy_files, settings, folder)
    else:
        dump = await asyncio.to_thread(checksum, folder / DATABASE_DUMP, DATABASE_DUMP)
        files = [dump, *await back_up_objects(settings, folder)]
    return Manifest(
        created_at=created_at,
        alembic_revision=revision,
        server_version=version,
        pg_dump_version=client.version,
        tables=tables,
        files=files,
    )


def _copy_files(settings: Settings, folder: Path) -> list[FileEntry]:
    return [
        checksum(folder / DATABASE_DUMP, DATABASE_DUMP),
        *copy_tree(settings.upload_dir, folder / "uploads", "uploads"),
        *copy_tree(settings.output_dir, folder / "outputs", "outputs"),
    ]


async def restore_backup(
    settings: Settings,
    database_url: str,
    source: Path,
    *,
    force: bool = False,
    pg_bin: Path | None = None,
) -> RestoreReport:
    """Restore ``source`` into the (empty) database and the upload/output folders."""
    manifest = read_manifest(source)
    await asyncio.to_thread(verify_backup, source, manifest)
    client = await find_client(manifest.dump_major, pg_bin)
    storage = open_storage(settings)
    async with connect(database_url) as connection:
        await _make_room(connection, settings, storage, force)
    restore_argv = [
        client.program("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={_database_name(database_url)}",
        str(source / DATABASE_DUMP),
    ]
    await run_client(restore_argv, database_url, timeout=PG_TIMEOUT, what="pg_restore")
    async with connect(database_url) as connection:
        restored = await row_counts(connection)
    if restored != manifest.tables:
        raise BackupError("the restored row counts differ from the backup's manifest")
    copied = await asyncio.to_thread(_restore_files, settings, source, manifest)
    if not storage.keeps_files_locally:
        copied = await upload_restored_files(storage, settings)
    return RestoreReport(manifest=manifest, files=copied)


def _restore_files(settings: Settings, source: Path, manifest: Manifest) -> int:
    return restore_tree(source, manifest, "uploads", settings.upload_dir) + restore_tree(
        source, manifest, "outputs", settings.output_dir
    )


async def _make_room(
    connection: AsyncConnection, settings: Settings, storage: Storage, force: bool
) -> None:
    """Refuse to restore over data unless forced; when forced, remove that data first."""
    folders = (settings.upload_dir, settings.output_dir)
    in_use = await asyncio.to_thread(folders_with_files, folders)
    if not storage.keeps_files_locally and await store_has_objects(storage):
        in_use.append("the object store")
    if await has_relations(connection):
        in_use.insert(0, "the database")
    if in_use and not force:
        raise BackupError(
            f"{' and '.join(in_use)} already {'hold' if len(in_use) > 1 else 'holds'} data; "
            "restore into an empty database and empty folders, or pass --force to replace it"
        )
    if force:
        await drop_user_schemas(connection)
        if not storage.keeps_files_locally:
            await empty_store(storage)
    await asyncio.to_thread(prepare_folders, folders, empty=force)


def _database_name(database_url: str) -> str:
    name = make_url(database_url).database
    if not name:
        raise BackupError("DATABASE_URL names no database")
    return name
