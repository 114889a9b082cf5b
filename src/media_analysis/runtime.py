"""What a running process holds: settings, the database, notifications, workers."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from media_analysis.api.clients import SessionTracker
from media_analysis.api.service.schemas import PublicConfig
from media_analysis.api.service.settings_view import public_settings
from media_analysis.config import Settings
from media_analysis.db.engine import create_engine, create_session_factory
from media_analysis.jobs.broker import EventBroker
from media_analysis.jobs.file_deletions import run_file_sweeper
from media_analysis.jobs.notifications import NotificationHub
from media_analysis.jobs.retention import run_retention_loop
from media_analysis.jobs.worker import Worker, WorkerOptions
from media_analysis.media.probe_helper import close_probe_helper
from media_analysis.pipelines import build_registry
from media_analysis.providers.factory import Providers
from media_analysis.providers.http_clients import close_shared_clients
from media_analysis.storage import Storage, open_storage
from media_analysis.webhooks.dispatcher import DeliveryLoop

SESSION_FLUSH_SECONDS = 2.0


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    hub: NotificationHub
    broker: EventBroker
    storage: Storage
    sessions: SessionTracker = field(default_factory=SessionTracker)
    worker: Worker | None = None
    deliveries: DeliveryLoop | None = None
    started_at: float = field(default_factory=time.time)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    def open(cls, settings: Settings, database_url: str) -> Runtime:
        engine = create_engine(settings, database_url)
        hub = NotificationHub(database_url)
        session_factory = create_session_factory(engine)
        broker = EventBroker(hub, session_factory, settings.sse_client_buffer)
        return cls(settings, engine, session_factory, hub, broker, open_storage(settings))

    def start_background(self) -> None:
        self._spawn(self.hub.run())
        self._spawn(self.broker.run())
        self._spawn(self.sessions.run(self.session_factory, SESSION_FLUSH_SECONDS))

    def start_worker(self, concurrency: int) -> Worker:
        settings = self.settings
        options = WorkerOptions(
            concurrency=concurrency,
            lease_seconds=settings.job_lease_seconds,
            heartbeat_seconds=min(settings.job_heartbeat_seconds, settings.job_lease_seconds / 3),
            poll_seconds=settings.job_poll_seconds,
            grace_seconds=settings.shutdown_grace_seconds,
            type_limits=settings.type_limits,
        )
        registry = build_registry(settings)
        # One Providers per process: every job sees the same circuit breaker.
        self.worker = Worker(
            settings,
            self.engine,
            self.session_factory,
            registry,
            self.hub,
            options,
            Providers(settings),
            self.storage,
        )
        self._spawn(self.worker.run())
        self.deliveries = DeliveryLoop(settings, self.session_factory, self.hub)
        self._spawn(self.deliveries.run())
        self._spawn(run_file_sweeper(self.session_factory, self.storage))
        if settings.retention_days > 0:
            self._spawn(run_retention_loop(self.session_factory, settings, self.storage))
        return self.worker

    async def close(self) -> None:
        if self.worker is not None:
            await self.worker.stop()
        if self.deliveries is not None:
            await self.deliveries.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.sessions.flush(self.session_factory)
        await self.engine.dispose()
        await close_shared_clients()
        await close_probe_helper()

    @cached_property
    def public_config(self) -> bytes:
        """Settings never change while the process runs, so the body is built once."""
        return PublicConfig(**public_settings(self.settings)).model_dump_json().encode()

    @property
    def uptime_seconds(self) -> float:
        return time.time() - self.started_at

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        self._tasks.append(asyncio.create_task(coroutine))
