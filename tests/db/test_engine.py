"""Pooled connections: pinged only after sitting idle, replaced when the server dropped them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.ext.asyncio import AsyncEngine

from media_analysis.db import engine as engine_module
from media_analysis.db.engine import create_engine
from tests.conftest import make_settings


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    original = AsyncAdapt_asyncpg_connection.ping

    def counting_ping(self: AsyncAdapt_asyncpg_connection) -> None:
        seen.append(1)
        original(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counting_ping)
    return seen


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_connection_reused_at_once_is_not_pinged(
    db_url: str, tmp_path: Path, pings: list[int]
) -> None:
    engine = create_engine(make_settings(tmp_path, db_pool_size=1), db_url)
    try:
        first = await backend_pid(engine)
        for _ in range(20):
            assert await backend_pid(engine) == first
        assert pings == []
    finally:
        await engine.dispose()


async def test_an_idle_connection_dropped_by_the_server_is_replaced(
    db_url: str, tmp_path: Path, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.2)
    engine = create_engine(make_settings(tmp_path, db_pool_size=1), db_url)
    other = create_engine(make_settings(tmp_path), db_url)
    try:
        dropped = await backend_pid(engine)
        async with other.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
        await asyncio.sleep(0.4)
        replacement = await backend_pid(engine)
        assert replacement != dropped
        assert pings, "the idle connection was used without a ping"
    finally:
        await engine.dispose()
        await other.dispose()
