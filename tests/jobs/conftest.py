from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from media_analysis.assembly import connected, processing_jobs, running
from media_analysis.config import Settings
from media_analysis.jobs.broker import EventBroker
from media_analysis.jobs.worker import Worker
from media_analysis.storage import open_storage
from tests.conftest import make_settings


@dataclass(frozen=True)
class JobEngine:
    """The database, an event broker as the API has one, and a worker running jobs."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    broker: EventBroker
    worker: Worker


@pytest.fixture
async def job_engine(tmp_path: Path, db_url: str) -> AsyncIterator[JobEngine]:
    settings = make_settings(
        tmp_path,
        handler_modules="tests.jobs.handlers",
        job_lease_seconds=3,
        job_heartbeat_seconds=0.5,
        job_poll_seconds=1,
        shutdown_grace_seconds=2,
        job_type_limits="test.child=1",
    )
    async with connected(settings, db_url) as database:
        broker = EventBroker(database.hub, database.session_factory, settings.sse_client_buffer)
        async with running(broker.run()):
            await database.hub.connected.wait()
            async with processing_jobs(
                settings, database, open_storage(settings), concurrency=3
            ) as worker:
                yield JobEngine(settings, database.engine, database.session_factory, broker, worker)
