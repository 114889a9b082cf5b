"""Engine and session factory built from settings."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from media_analysis.config import Settings

# A connection that was back in the pool for longer than this is pinged before use. One that
# is handed on at once under load skips the ping (BEGIN, `;`, ROLLBACK on asyncpg: half the
# round trips of a job submission); a server restart still costs at most the requests that
# were already using a connection, as with pinging every checkout.
IDLE_PING_SECONDS = 1.0
CHECKED_IN_AT = "checked_in_at"


def create_engine(settings: Settings, url: str) -> AsyncEngine:
    engine = create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=1800,
        connect_args={
            "timeout": settings.db_connect_timeout,
            "command_timeout": max(settings.db_statement_timeout_ms / 1000, 1) + 5,
            "server_settings": {
                "application_name": "media-analysis",
                "statement_timeout": str(settings.db_statement_timeout_ms),
            },
        },
    )
    event.listen(engine.sync_engine, "checkin", _stamp_checkin)
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def _stamp_checkin(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info[CHECKED_IN_AT] = time.monotonic()


def _ping_if_idle(
    dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
) -> None:
    checked_in_at = record.info.get(CHECKED_IN_AT)
    if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as exc:
        # The pool replaces the connection and checks out another one.
        raise DisconnectionError("the pooled connection is gone") from exc
