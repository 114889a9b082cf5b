"""Shared fixtures: one migrated database per test session, each test rolled back."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine

from media_analysis.api.deps import unit_of_work
from media_analysis.app import create_app
from media_analysis.config import Settings
from media_analysis.db import migrate
from tests.database import database_url, drop_database, postgres_server, recreate_database
from tests.fakes import run_fake_server
from tests.paths import DATA
from tests.paths import REPO_ROOT as REPO_ROOT  # imported from here by many test modules

CORPUS = DATA


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def db_url(pg_server: str) -> Iterator[str]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"media_analysis_test_{worker}_{os.getpid()}"
    asyncio.run(recreate_database(pg_server, name))
    url = database_url(pg_server, name)
    migrate.upgrade(url)
    yield url
    asyncio.run(drop_database(pg_server, name))


@pytest.fixture
async def db_connection(db_url: str) -> AsyncIterator[AsyncConnection]:
    engine = create_async_engine(db_url)
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()
    await engine.dispose()


@pytest.fixture
async def db_session(db_connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    session = AsyncSession(
        bind=db_connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    yield session
    await session.close()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "upload_dir": tmp_path / "uploads",
        "output_dir": tmp_path / "outputs",
        "data_dir": tmp_path,
        "allow_private_urls": True,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def app(settings: Settings, db_url: str, db_session: AsyncSession) -> AsyncIterator[FastAPI]:
    application = create_app(settings, db_url)

    async def test_unit_of_work() -> AsyncIterator[AsyncSession]:
        yield db_session
        await db_session.flush()

    application.dependency_overrides[unit_of_work] = test_unit_of_work
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


class ServableFake(Protocol):
    base_url: str

    @property
    def app(self) -> Any: ...


FakeT = TypeVar("FakeT", bound=ServableFake)


@pytest.fixture
def serve() -> Iterator[Callable[[FakeT], FakeT]]:
    """Start a provider fake on its own uvicorn server; it is stopped when the test ends."""
    with ExitStack() as servers:

        def start(fake: FakeT) -> FakeT:
            fake.base_url = servers.enter_context(run_fake_server(fake.app))
            return fake

        yield start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def live_app(settings: Settings, db_url: str) -> AsyncIterator[FastAPI]:
    """The app with real commits and two in-process workers."""
    application = create_app(settings, db_url, workers=2)
    async with application.router.lifespan_context(application):
        await application.state.database.hub.connected.wait()
        yield application


@pytest.fixture
async def live_client(live_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=live_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", timeout=120
    ) as http:
        yield http


@asynccontextmanager
async def serving_app(
    tmp_path: Path, db_url: str, *, workers: int = 1, **settings: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    """An app with its own settings and workers, and a client talking to it."""
    application = create_app(make_settings(tmp_path, **settings), db_url, workers=workers)
    async with application.router.lifespan_context(application):
        await application.state.database.hub.connected.wait()
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=120
        ) as http:
            yield http, application


@pytest.fixture
def fresh_db(pg_server: str) -> Iterator[str]:
    """An empty database of its own (not migrated), dropped afterwards."""
    name = f"media_analysis_fresh_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(recreate_database(pg_server, name))
    yield database_url(pg_server, name)
    asyncio.run(drop_database(pg_server, name))
