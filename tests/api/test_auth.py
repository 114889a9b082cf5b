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
    for path in ("/health", "/docs", "/redoc", "/openapi.json", "/", "/docs-assets/redoc.js"):
        assert (await client.get(path)).status_code == 200, path


async def test_a_session_is_one_key_at_one_address_whatever_its_user_agents(
    secured: tuple[FastAPI, httpx.AsyncClient], db_url: str
) -> None:
    app, _ = secured
    transport = httpx.ASGITransport(app=app, client=("198.51.100.23", 4444))
    client = httpx.AsyncClient(transport=transport, base_url="http://t")
    first = {"X-API-Key": "first-key-123456"}
    for number in range(200):
        await client.get("/api/media/config", headers={**first, "User-Agent": f"agent/{number}"})
    await client.get(
        "/api/media/config", headers={"X-API-Key": "second-key-654321", "User-Agent": "cli/2.0"}
    )
    factory = app.state.database.session_factory
    assert await app.state.sessions.flush(factory) == 2

    async with factory() as session:
        rows = await _sessions_for(session, "agent/199", "cli/2.0")
        try:
            by_agent = {row.user_agent: row for row in rows}
            assert set(by_agent) == {"agent/199", "cli/2.0"}
            assert by_agent["agent/199"].request_count == 200
            assert by_agent["cli/2.0"].request_count == 1
            assert str(by_agent["agent/199"].ip_address) == "198.51.100.23"
            fingerprints = {row.api_key_fingerprint for row in rows}
            assert len(fingerprints) == 2 and None not in fingerprints
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
