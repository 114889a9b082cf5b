"""Backing up and restoring the whole service: the database and the job files.

A backup is consistent on the database side: row counts, the Alembic revision and
``pg_dump`` all read one exported snapshot. Job files are copied after the dump, so
every file a dumped row refers to is there unless a job deleted it in the meantime
(stop the API and workers for a backup that is exact to the byte).

A restore goes only into an empty database and empty folders unless forced, checks
every checksum before touching anything, and checks the row counts afterwards.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from media_analysis.config import Settings
from media_analysis.ops.backup_files import (
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
from media_analysis.ops.pg_client import BackupError, find_client, run_client

PG_TIMEOUT = 6 * 3600.0
USER_TABLES = text(
    "SELECT table_schema, table_name FROM information_schema.tables "
    "WHERE table_type = 'BASE TABLE' "
    "AND table_schema NOT IN ('pg_catalog', 'information_schema') "
    "AND table_schema NOT LIKE 'pg\\_%' ORDER BY 1, 2"
)
USER_SCHEMAS = text(
    "SELECT nspname FROM pg_namespace "
    "WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' ORDER BY 1"
)
USER_RELATIONS = text(
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
    "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'"
)


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
    async with _snapshot(database_url) as (connection, snapshot):
        server_version = await _server_version(connection)
        client = find_client(int(server_version.split(".")[0]), pg_bin)
        tables = await _row_counts(connection)
        revision = await _alembic_revision(connection, tables)
        dump_argv = [
            client.program("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={folder / DATABASE_DUMP}",
        ]
        await run_client(dump_argv, database_url, timeout=PG_TIMEOUT, what="pg_dump")
    files = await asyncio.to_thread(_copy_files, settings, folder)
    return Manifest(
        created_at=created_at,
        alembic_revision=revision,
        server_version=server_version,
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
    client = find_client(manifest.dump_major, pg_bin)
    async with _connection(database_url) as connection:
        await _make_room(connection, settings, force)
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
    async with _connection(database_url) as connection:
        restored = await _row_counts(connection)
    if restored != manifest.tables:
        raise BackupError("the restored row counts differ from the backup's manifest")
    copied = await asyncio.to_thread(_restore_files, settings, source, manifest)
    return RestoreReport(manifest=manifest, files=copied)


def _restore_files(settings: Settings, source: Path, manifest: Manifest) -> int:
    return restore_tree(source, manifest, "uploads", settings.upload_dir) + restore_tree(
        source, manifest, "outputs", settings.output_dir
    )


async def _make_room(connection: AsyncConnection, settings: Settings, force: bool) -> None:
    """Refuse to restore over data unless forced; when forced, remove that data first."""
    folders = (settings.upload_dir, settings.output_dir)
    in_use = await asyncio.to_thread(folders_with_files, folders)
    if await _has_relations(connection):
        in_use.insert(0, "the database")
    if in_use and not force:
        raise BackupError(
            f"{' and '.join(in_use)} already hold data; restore into an empty database "
            "and empty folders, or pass --force to replace what is there"
        )
    if force:
        await _drop_user_schemas(connection)
    await asyncio.to_thread(prepare_folders, folders, empty=force)


async def _has_relations(connection: AsyncConnection) -> bool:
    return bool(await connection.scalar(USER_RELATIONS))


async def _drop_user_schemas(connection: AsyncConnection) -> None:
    schemas = list((await connection.execute(USER_SCHEMAS)).scalars())
    for schema in schemas:
        await connection.execute(text(f"DROP SCHEMA {_quote(connection, schema)} CASCADE"))
    await connection.execute(text("CREATE SCHEMA IF NOT EXISTS public"))
    await connection.commit()


async def _row_counts(connection: AsyncConnection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for schema, table in (await connection.execute(USER_TABLES)).all():
        name = f"{_quote(connection, schema)}.{_quote(connection, table)}"
        counts[f"{schema}.{table}"] = int(
            await connection.scalar(text(f"SELECT count(*) FROM {name}")) or 0  # noqa: S608
        )
    return counts


async def _alembic_revision(connection: AsyncConnection, tables: dict[str, int]) -> str | None:
    if "public.alembic_version" not in tables:
        return None
    revision = await connection.scalar(text("SELECT version_num FROM public.alembic_version"))
    return str(revision) if revision is not None else None


async def _server_version(connection: AsyncConnection) -> str:
    number = int(await connection.scalar(text("SHOW server_version_num")) or 0)
    return f"{number // 10000}.{number % 10000}"


@asynccontextmanager
async def _snapshot(database_url: str) -> AsyncIterator[tuple[AsyncConnection, str]]:
    """A read-only repeatable-read transaction whose snapshot pg_dump can share."""
    async with (
        _connection(database_url, isolation_level="REPEATABLE READ") as connection,
        connection.begin(),
    ):
        await connection.execute(text("SET TRANSACTION READ ONLY"))
        snapshot = str(await connection.scalar(text("SELECT pg_export_snapshot()")))
        yield connection, snapshot


@asynccontextmanager
async def _connection(
    database_url: str, isolation_level: str = "READ COMMITTED"
) -> AsyncIterator[AsyncConnection]:
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        connection = await _connect(engine)
        try:
            yield await connection.execution_options(isolation_level=isolation_level)
        finally:
            await connection.close()
    finally:
        await engine.dispose()


async def _connect(engine: AsyncEngine) -> AsyncConnection:
    try:
        return await engine.connect()
    except (OSError, DBAPIError) as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        raise BackupError(f"DATABASE_URL: cannot connect to the database ({reason})") from None


def _quote(connection: AsyncConnection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _database_name(database_url: str) -> str:
    name = make_url(database_url).database
    if not name:
        raise BackupError("DATABASE_URL names no database")
    return name
