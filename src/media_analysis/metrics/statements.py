"""A count of the SQL statements this process sends, to see what a feature costs the database."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


def count_statements(engine: AsyncEngine, registry: CollectorRegistry) -> None:
    statements = Counter(
        "media_analysis_db_statements",
        "SQL statements this process sent to PostgreSQL.",
        registry=registry,
    )

    def counted(*_args: Any) -> None:
        statements.inc()

    event.listen(engine.sync_engine, "before_cursor_execute", counted)
