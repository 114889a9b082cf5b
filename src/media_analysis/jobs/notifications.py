"""One LISTEN connection per process, shared by every worker and SSE client in it.

The connection reconnects by itself when PostgreSQL restarts; subscribers are told
about reconnects so they can re-read anything they may have missed meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable

import asyncpg
from sqlalchemy.engine import make_url

from media_analysis.db.channels import ALL_CHANNELS

logger = logging.getLogger(__name__)

Callback = Callable[[str], None]
HEALTH_CHECK_SECONDS = 5.0
MAX_RECONNECT_DELAY = 5.0


def asyncpg_dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class NotificationHub:
    def __init__(self, database_url: str) -> None:
        self._dsn = asyncpg_dsn(database_url)
        self._subscribers: dict[str, set[Callback]] = defaultdict(set)
        self._reconnect_callbacks: set[Callable[[], None]] = set()
        self.connected = asyncio.Event()

    def subscribe(self, channel: str, callback: Callback) -> Callable[[], None]:
        self._subscribers[channel].add(callback)
        return lambda: self._subscribers[channel].discard(callback)

    def on_reconnect(self, callback: Callable[[], None]) -> Callable[[], None]:
        self._reconnect_callbacks.add(callback)
        return lambda: self._reconnect_callbacks.discard(callback)

    async def run(self) -> None:
        delay = 0.2
        first = True
        while True:
            try:
                await self._listen_until_lost(first)
                first = False
                delay = 0.2
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                logger.warning("notification connection unavailable (%s); retrying", exc)
            self.connected.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RECONNECT_DELAY)

    async def _listen_until_lost(self, first: bool) -> None:
        connection = await asyncpg.connect(self._dsn, timeout=5)
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _conn: lost.set())
        try:
            for channel in ALL_CHANNELS:
                await connection.add_listener(channel, self._dispatch)
            self.connected.set()
            if not first:
                self._announce_reconnect()
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), HEALTH_CHECK_SECONDS)
                if not lost.is_set():
                    await connection.fetchval("SELECT 1", timeout=HEALTH_CHECK_SECONDS)
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), 2)

    def _dispatch(self, _conn: object, _pid: int, channel: str, payload: str) -> None:
        for callback in list(self._subscribers.get(channel, ())):
            try:
                callback(payload)
            except Exception:
                logger.exception("notification subscriber failed on %s", channel)

    def _announce_reconnect(self) -> None:
        logger.info("notification connection restored")
        for callback in list(self._reconnect_callbacks):
            callback()
