"""The migrations build exactly the schema the models describe, and unbuild it."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from media_analysis.db import migrate
from media_analysis.db.base import Base
from media_analysis.jobs.notifications import asyncpg_dsn as _asyncpg_dsn
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


async def _sql(url: str, *statements: str) -> list[list[tuple[object, ...]]]:
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        return [[tuple(row) for row in await connection.fetch(s)] for s in statements]
    finally:
        await connection.close()


def test_seed_column_names_keep_the_data_and_downgrade_restores_it(pg_server: str) -> None:
    name = "media_analysis_migration_rename_check"
    asyncio.run(recreate_database(pg_server, name))
    url = database_url(pg_server, name)
    session, job = uuid.uuid4(), uuid.uuid4()
    try:
        migrate.upgrade(url, "0003")
        asyncio.run(
            _sql(
                url,
                f"INSERT INTO sessions (id, client_id, api_key_fingerprint) "
                f"VALUES ('{session}', 'client', 'abcdef0123456789')",
                f"INSERT INTO jobs (id, job_type, status, session_id) "
                f"VALUES ('{job}', 'audio.transcribe', 'completed', '{session}')",
                f"INSERT INTO transcriptions (id, job_id, provider, text, words, confidence) "
                f"VALUES (gen_random_uuid(), '{job}', 'local', 'ask not', "
                f"""'[{{"text": "ask", "start": 0.5, "end": 0.8}}]', 0.9)""",
            )
        )
        migrate.upgrade(url)
        transcription, owner, found = asyncio.run(
            _sql(
                url,
                "SELECT text_content, word_timestamps::text, confidence_score, metadata::text "
                "FROM transcriptions",
                "SELECT owner_key_fingerprint FROM jobs",
                "SELECT count(*) FROM transcriptions "
                "WHERE search_vector @@ plainto_tsquery('english', 'ask')",
            )
        )
        assert transcription == [
            ("ask not", '[{"end": 0.8, "text": "ask", "start": 0.5}]', 0.9, "{}")
        ]
        assert owner == [("abcdef0123456789",)]
        assert found == [(1,)]

        migrate.downgrade(url, "0003")
        (restored,) = asyncio.run(
            _sql(
                url,
                "SELECT text, confidence FROM transcriptions JOIN sessions ON true "
                "WHERE sessions.last_activity_at IS NOT NULL",
            )
        )
        assert restored == [("ask not", 0.9)]
    finally:
        asyncio.run(drop_database(pg_server, name))
