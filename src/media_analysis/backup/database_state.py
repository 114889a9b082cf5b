"""What the backup needs to know about a database, read over SQLAlchemy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from media_analysis.backup.pg_client import BackupError

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


async def has_relations(connection: AsyncConnection) -> bool:
    return bool(await connection.scalar(USER_RELATIONS))


async def drop_user_schemas(connection: AsyncConnection) -> None:
    schemas = list((await connection.execute(USER_SCHEMAS)).scalars())
    for schema in schemas:
        await connection.execute(text(f"DROP SCHEMA {_quote(connection, schema)} CASCADE"))
    await connection.execute(text("CREATE SCHEMA IF NOT EXISTS public"))
    await connection.commit()


async def row_counts(connection: AsyncConnection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for schema, table in (await connection.execute(USER_TABLES)).all():
        name = f"{_quote(connection, schema)}.{_quote(connection, table)}"
        counts[f"{schema}.{table}"] = int(
            await connection.scalar(text(f"SELECT count(*) FROM {name}")) or 0  # noqa: S608
        )
    return counts


async def alembic_revision(connection: AsyncConnection, tables: dict[str, int]) -> str | None:
    if "public.alembic_version" not in tables:
        return None
    revision = await connection.scalar(text("SELECT version_num FROM public.alembic_version"))
    return str(revision) if revision is not None else None


async def server_version(connection: AsyncConnection) -> str:
    number = int(await connection.scalar(text("SHOW server_version_num")) or 0)
    return f"{number // 10000}.{number % 10000}"


@asynccontextmanager
async def exported_snapshot(database_url: str) -> AsyncIterator[tuple[AsyncConnection, str]]:
    """A read-only repeatable-read transaction whose snapshot pg_dump can share."""
    async with (
        connect(database_url, isolation_level="REPEATABLE READ") as connection,
        connection.begin(),
    ):
        await connection.execute(text("SET TRANSACTION READ ONLY"))
        snapshot = str(await connection.scalar(text("SELECT pg_export_snapshot()")))
        yield connection, snapshot


@asynccontextmanager
async def connect(
    database_url: str, isolation_level: str = "READ COMMITTED"
) -> AsyncIterator[AsyncConnection]:
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        connection = await _open(engine)
        try:
            yield await connection.execution_options(isolation_level=isolation_level)
        finally:
            await connection.close()
    finally:
        await engine.dispose()


async def _open(engine: AsyncEngine) -> AsyncConnection:
    try:
        return await engine.connect()
    except (OSError, DBAPIError) as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        raise BackupError(f"DATABASE_URL: cannot connect to the database ({reason})") from None


def _quote(connection: AsyncConnection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)
