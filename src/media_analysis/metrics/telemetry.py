"""One metrics registry per app: HTTP metrics, process metrics, database gauges."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, ProcessCollector, generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from media_analysis.metrics.database import DatabaseCollector
from media_analysis.metrics.http import HttpMetrics
from media_analysis.metrics.statements import count_statements
from media_analysis.storage.metrics import StorageMetrics


class Telemetry:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.http = HttpMetrics(self.registry)
        self.storage = StorageMetrics(self.registry)
        self._database: DatabaseCollector | None = None

    def attach_database(
        self, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
    ) -> None:
        self._database = DatabaseCollector(session_factory)
        self.registry.register(self._database)
        count_statements(engine, self.registry)

    @property
    def database_reads(self) -> int:
        return self._database.queries_run if self._database is not None else 0

    async def exposition(self) -> bytes:
        if self._database is not None:
            await self._database.refresh()
        return generate_latest(self.registry)
