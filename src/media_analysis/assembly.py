"""How a process is put together from its parts.

Every process opens the database (a pool, and one connection that LISTENs); a process
that runs jobs adds the worker, the webhook deliveries, the file sweeper and retention.
The API server (``app``) adds its request side on top; the standalone worker is nothing
more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.engine import create_engine, create_session_factory
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

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Database:
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    hub: NotificationHub


@asynccontextmanager
async def connected(settings: Settings, database_url: str) -> AsyncIterator[Database]:
    """The database for the life of the block; process-wide clients are closed after it."""
    engine = create_engine(settings, database_url)
    database = Database(engine, create_session_factory(engine), NotificationHub(database_url))
    try:
        async with running(database.hub.run()):
            yield database
    finally:
        await engine.dispose()
        await close_shared_clients()
        await close_probe_helper()


@asynccontextmanager
async def processing_jobs(
    settings: Settings, database: Database, storage: Storage, concurrency: int
) -> AsyncIterator[Worker]:
    """Workers, webhook deliveries, the file sweeper and retention; on leaving, running
    jobs get the grace period to finish before they are handed back."""
    worker = Worker(
        settings,
        database.engine,
        database.session_factory,
        build_registry(settings),
        database.hub,
        worker_options(settings, concurrency),
        # One Providers per process: every job sees the same circuit breaker.
        Providers(settings),
        storage,
    )
    deliveries = DeliveryLoop(settings, database.session_factory, database.hub)
    loops = [worker.run(), deliveries.run(), run_file_sweeper(database.session_factory, storage)]
    if settings.retention_days > 0:
        loops.append(run_retention_loop(database.session_factory, settings, storage))
    async with running(*loops):
        try:
            yield worker
        finally:
            await worker.stop()
            await deliveries.stop()


def worker_options(settings: Settings, concurrency: int) -> WorkerOptions:
    return WorkerOptions(
        concurrency=concurrency,
        lease_seconds=settings.job_lease_seconds,
        heartbeat_seconds=min(settings.job_heartbeat_seconds, settings.job_lease_seconds / 3),
        poll_seconds=settings.job_poll_seconds,
        grace_seconds=settings.shutdown_grace_seconds,
        type_limits=settings.type_limits,
    )


@asynccontextmanager
async def running(*loops: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """Run ``loops`` as tasks for the life of the block; cancel them when it ends."""
    tasks = [asyncio.create_task(loop) for loop in loops]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def run_worker(settings: Settings, database_url: str, concurrency: int) -> None:
    """A worker process without the HTTP API: runs until SIGTERM or SIGINT."""
    async with (
        connected(settings, database_url) as database,
        processing_jobs(settings, database, open_storage(settings), concurrency) as worker,
    ):
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        logger.info("worker %s running %d jobs at a time", worker.worker_id, concurrency)
        await stop.wait()
        logger.info("stopping: no new jobs; waiting up to %.0fs", settings.shutdown_grace_seconds)
