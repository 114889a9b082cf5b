"""What a running process holds: settings, the database engine, background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from media_analysis.api.clients import SessionTracker
from media_analysis.config import Settings
from media_analysis.db.engine import create_engine, create_session_factory

SESSION_FLUSH_SECONDS = 2.0


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    sessions: SessionTracker = field(default_factory=SessionTracker)
    started_at: float = field(default_factory=time.time)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    def open(cls, settings: Settings, database_url: str) -> Runtime:
        engine = create_engine(settings, database_url)
        return cls(settings, engine, create_session_factory(engine))

    def start_background(self) -> None:
        self._tasks.append(
            asyncio.create_task(self.sessions.run(self.session_factory, SESSION_FLUSH_SECONDS))
        )

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.sessions.flush(self.session_factory)
        await self.engine.dispose()

    @property
    def uptime_seconds(self) -> float:
        return time.time() - self.started_at
