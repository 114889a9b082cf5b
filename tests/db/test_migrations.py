"""The migrations build exactly the schema the models describe, and unbuild it."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from media_analysis.db import migrate
from media_analysis.db.base import Base
from tests.database import database_url, drop_database, recreate_database

TABLES = {"jobs", "media_assets", "transcriptions", "analysis_results", "sessions"}


async def _schema_diff(url: str) -> list[object]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(
                    sync, opts={"compare_type": True, "compare_server_default": True}
                ),
                Base.metadata,
            )
        )
    await engine.dispose()
    return list(diff)


async def _tables_and_fks(url: str) -> tuple[set[str], dict[str, list[dict[str, object]]]]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:

        def read(sync: object) -> tuple[set[str], dict[str, list[dict[str, object]]]]:
            inspector = inspect(sync)
            tables = set(inspector.get_table_names())
            fks = {t: inspector.get_foreign_keys(t) for t in tables if t != "alembic_version"}
            return tables, fks

        result = await connection.run_sync(read)
    await engine.dispose()
    return result


def test_upgrade_matches_models_and_downgrade_removes_everything(pg_server: str) -> None:
    name = "media_analysis_migration_check"
    asyncio.run(recreate_database(pg_server, name))
    url = database_url(pg_server, name)
    try:
        migrate.upgrade(url)
        tables, fks = asyncio.run(_tables_and_fks(url))
        assert tables >= TABLES
        assert asyncio.run(_schema_diff(url)) == []
        child_tables = ("media_assets", "transcriptions", "analysis_results")
        for child in child_tables:
            (job_fk,) = [fk for fk in fks[child] if fk["referred_table"] == "jobs"]
            assert job_fk["options"].get("ondelete") == "CASCADE"

        migrate.downgrade(url, "base")
        tables, _ = asyncio.run(_tables_and_fks(url))
        assert tables & TABLES == set()
    finally:
        asyncio.run(drop_database(pg_server, name))
