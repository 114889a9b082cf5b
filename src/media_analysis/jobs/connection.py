"""The connection a worker keeps for its claims and outcomes.

Held open and in autocommit mode, so a claim or an outcome costs the one round trip
of its statement: no pool checkout and ping, no BEGIN and COMMIT. The statements
that use it are each a complete unit of work on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


class WorkerConnection:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def use(self) -> AsyncIterator[AsyncConnection]:
        """The connection, to one caller at a time; it is reopened after any error."""
        async with self._lock:
            if self._connection is None:
                connection = await self._engine.connect()
                self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            try:
                yield self._connection
            except BaseException:
                # Its state is unknown (a lost server, a statement cut short): start afresh.
                connection, self._connection = self._connection, None
                with contextlib.suppress(Exception):
                    await connection.invalidate()
                raise

    async def close(self) -> None:
        async with self._lock:
            connection, self._connection = self._connection, None
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.close()
