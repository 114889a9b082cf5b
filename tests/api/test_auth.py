"""API keys: Bearer or X-API-Key; open service routes; per-client sessions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.app import create_app
from media_analysis.db.models import ClientSession
from tests.conftest import make_settings

KEYS = "first-key-123456,second-key-654321"


@pytest.fixture
async def secured(tmp_path: Path, db_url: str) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(make_settings(tmp_path, api_key=KEYS), db_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5555))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield app, client


async def test_requests_without_a_valid_key_get_401_problems(
    secured: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = secured
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-API-Key": "first-key-12345"}):
        response = await client.get("/api/media/config", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "unauthorized"
        assert "first-key" not in response.text


async def test_either_configured_key_works_in_either_header(
    secured: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = secured
    for headers in (
        {"Authorization": "Bearer first-key-123456"},
        {"X-API-Key": "second-key-654321"},
        {"authorization": "bearer second-key-654321"},
    ):
        assert (await client.get("/api/media/config", headers=headers)).status_code == 200


async def test_service_routes_stay_open(secured: tuple[FastAPI, httpx.AsyncClient]) -> None:
    _, client = secured
    for path in ("/health", "/docs", "/redoc", "/openapi.json"):
        assert (await client.get(path)).status_code == 200, path


async def test_each_client_gets_a_session_row_with_counts(
    secured: tuple[FastAPI, httpx.AsyncClient], db_url: str
) -> None:
    app, client = secured
    headers = {"X-API-Key": "first-key-123456", "User-Agent": "dashboard/1.0"}
    for _ in range(3):
        await client.get("/api/media/config", headers=headers)
    await client.get("/api/media/config", headers={**headers, "User-Agent": "cli/2.0"})
    runtime = app.state.runtime
    assert await runtime.sessions.flush(runtime.session_factory) == 2

    async with runtime.session_factory() as session:
        rows = await _sessions_for(session, "dashboard/1.0", "cli/2.0")
        try:
            by_agent = {row.user_agent: row for row in rows}
            assert by_agent["dashboard/1.0"].request_count == 3
            assert by_agent["cli/2.0"].request_count == 1
            assert str(by_agent["dashboard/1.0"].ip_address) == "203.0.113.7"
            assert by_agent["dashboard/1.0"].api_key_fingerprint is not None
        finally:
            for row in rows:
                await session.delete(row)
            await session.commit()


async def _sessions_for(session: AsyncSession, *agents: str) -> list[ClientSession]:
    query = select(ClientSession).where(ClientSession.user_agent.in_(agents))
    return list((await session.execute(query)).scalars())


async def test_surrounding_spaces_around_a_key_are_ignored_in_either_header(
    secured: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = secured
    for headers in (
        {"X-API-Key": "  second-key-654321 "},
        {"Authorization": "Bearer  first-key-123456 "},
    ):
        assert (await client.get("/api/media/config", headers=headers)).status_code == 200
    blank = await client.get("/api/media/config", headers={"X-API-Key": "   "})
    assert blank.status_code == 401
