"""Finding a PostgreSQL server for the test suite.

Order: TEST_DATABASE_URL, the local server on 127.0.0.1:5432, a testcontainers
PostgreSQL when a Docker engine answers, and finally the embedded server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from media_analysis.config import normalize_database_url

LOCAL_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield an asyncpg URL of a server where the suite may create databases."""
    explicit = os.environ.get("TEST_DATABASE_URL")
    if explicit:
        yield normalize_database_url(explicit)
        return
    if _answers(LOCAL_SERVER):
        yield LOCAL_SERVER
        return
    container_url = _testcontainers_url()
    if container_url is not None:
        with container_url as url:
            yield url
        return
    with _embedded_server() as url:
        yield url


def _answers(url: str) -> bool:
    async def probe() -> bool:
        try:
            connection = await asyncpg.connect(_dsn(url), timeout=3)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
        await connection.close()
        return True

    return asyncio.run(probe())


def _testcontainers_url() -> contextlib.AbstractContextManager[str] | None:
    try:
        import docker

        docker.from_env().ping()
    except Exception:
        return None

    @contextlib.contextmanager
    def container() -> Iterator[str]:
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver="asyncpg") as pg:
            yield normalize_database_url(pg.get_connection_url())

    return container()


@contextlib.contextmanager
def _embedded_server() -> Iterator[str]:
    from media_analysis.db.embedded import EmbeddedPostgres

    with tempfile.TemporaryDirectory(prefix="media-analysis-pg-") as directory:
        server = EmbeddedPostgres(Path(directory))
        url = server.start()
        try:
            yield url.replace("/media_analysis?", "/postgres?")
        finally:
            server.stop()


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def recreate_database(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(_dsn(server_url), timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_database(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(_dsn(server_url), timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
