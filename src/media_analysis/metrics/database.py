"""Gauges read from PostgreSQL at scrape time: jobs, queue, workers, stages, providers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

logger = logging.getLogger(__name__)

SCRAPE_TIMEOUT = 3.0
CACHE_SECONDS = 5.0

JOBS_SQL = "SELECT job_type, status, count(*) FROM jobs GROUP BY job_type, status"
QUEUE_SQL = """
SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
FROM jobs WHERE status = 'pending'
"""
WORKERS_SQL = """
SELECT count(*), coalesce(sum(running_jobs), 0) FROM workers
WHERE last_heartbeat_at >= now() - interval '45 seconds'
"""
STAGES_SQL = """
WITH progress AS (
    SELECT e.job_id, j.job_type, e.data->>'stage' AS stage, e.created_at,
           lead(e.created_at) OVER (PARTITION BY e.job_id ORDER BY e.sequence) AS next_at
    FROM job_events e JOIN jobs j ON j.id = e.job_id
    WHERE e.created_at >= now() - interval '1 hour'
), stages AS (
    SELECT job_type, stage, job_id,
           extract(epoch FROM max(coalesce(next_at, created_at)) - min(created_at)) AS seconds
    FROM progress WHERE stage IS NOT NULL GROUP BY job_type, stage, job_id
)
SELECT job_type, stage, count(*), sum(seconds),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds)
FROM stages GROUP BY job_type, stage
"""
ATTEMPTS_SQL = """
SELECT a->>'provider', coalesce(a->>'outcome', 'unknown'), count(*)
FROM (
    SELECT jsonb_array_elements(attempts) AS a FROM transcriptions
    UNION ALL
    SELECT jsonb_array_elements(attempts) FROM analysis_results
) attempts
GROUP BY 1, 2
"""
DELIVERIES_SQL = "SELECT target, status, count(*) FROM webhook_deliveries GROUP BY 1, 2"
OLDEST_DELIVERY_SQL = """
SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)
FROM webhook_deliveries WHERE status = 'pending'
"""


class DatabaseCollector:
    """A prometheus_client collector; ``refresh`` runs the queries, ``collect`` reports them."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        self._session_factory = session_factory
        self._metrics: list[Metric] = []
        self._cache_seconds = cache_seconds
        self._read_at = -float("inf")
        self._lock = asyncio.Lock()
        self.queries_run = 0

    async def refresh(self) -> None:
        """Read the database at most once per ``cache_seconds``, however many scrape."""
        async with self._lock:
            if time.monotonic() - self._read_at < self._cache_seconds:
                return
            await self._read()
            self._read_at = time.monotonic()

    async def _read(self) -> None:
        self.queries_run += 1
        try:
            async with asyncio.timeout(SCRAPE_TIMEOUT), self._session_factory() as session:
                rows = {name: (await session.execute(text(sql))).all() for name, sql in _QUERIES}
        except Exception as exc:
            logger.warning("metrics: database unavailable (%s)", type(exc).__name__)
            self._metrics = [_up(0)]
            return
        self._metrics = [_up(1), *build_metrics(rows)]

    def collect(self) -> Iterable[Metric]:
        return list(self._metrics)


_QUERIES = (
    ("jobs", JOBS_SQL),
    ("queue", QUEUE_SQL),
    ("workers", WORKERS_SQL),
    ("stages", STAGES_SQL),
    ("attempts", ATTEMPTS_SQL),
    ("deliveries", DELIVERIES_SQL),
    ("oldest_delivery", OLDEST_DELIVERY_SQL),
)


def build_metrics(rows: dict[str, Any]) -> list[Metric]:
    jobs = GaugeMetricFamily(
        "media_analysis_jobs", "Jobs by type and status.", labels=["job_type", "status"]
    )
    for job_type, status, count in rows["jobs"]:
        jobs.add_metric([job_type, status], count)
    depth, oldest = rows["queue"][0]
    workers, running = rows["workers"][0]
    return [
        jobs,
        _gauge("media_analysis_queue_depth", "Jobs waiting to be claimed.", depth),
        _gauge(
            "media_analysis_queue_oldest_pending_age_seconds",
            "Age of the oldest pending job.",
            float(oldest),
        ),
        _gauge("media_analysis_workers", "Workers with a recent heartbeat.", workers),
        _gauge("media_analysis_worker_running_jobs", "Jobs running on live workers.", running),
        *_stage_metrics(rows["stages"]),
        _attempt_metric(rows["attempts"]),
        *_delivery_metrics(rows["deliveries"], rows["oldest_delivery"][0][0]),
    ]


def _stage_metrics(rows: Iterable[Any]) -> list[Metric]:
    labels = ["job_type", "stage"]
    seconds = GaugeMetricFamily(
        "media_analysis_job_stage_duration_seconds",
        "Stage durations of jobs in the last hour, by quantile.",
        labels=[*labels, "quantile"],
    )
    count = GaugeMetricFamily(
        "media_analysis_job_stage_runs", "Stage runs seen in the last hour.", labels=labels
    )
    for job_type, stage, runs, _total, p50, p95 in rows:
        seconds.add_metric([job_type, stage, "0.5"], float(p50 or 0))
        seconds.add_metric([job_type, stage, "0.95"], float(p95 or 0))
        count.add_metric([job_type, stage], runs)
    return [seconds, count]


def _attempt_metric(rows: Iterable[Any]) -> Metric:
    attempts = CounterMetricFamily(
        "media_analysis_provider_attempts",
        "Provider attempts recorded with jobs, by outcome.",
        labels=["provider", "outcome"],
    )
    for provider, outcome, count in rows:
        attempts.add_metric([provider or "unknown", outcome], count)
    return attempts


def _delivery_metrics(rows: Iterable[Any], oldest_pending: float) -> list[Metric]:
    deliveries = GaugeMetricFamily(
        "media_analysis_webhook_deliveries",
        "Webhook and Kommo deliveries by target and outcome (pending, delivered, failed, stopped).",
        labels=["target", "status"],
    )
    for target, status, count in rows:
        deliveries.add_metric([target, status], count)
    oldest = _gauge(
        "media_analysis_webhook_oldest_pending_age_seconds",
        "Age of the oldest delivery not yet delivered.",
        float(oldest_pending),
    )
    return [deliveries, oldest]


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _up(value: int) -> GaugeMetricFamily:
    return _gauge("media_analysis_database_up", "1 when the database answered the scrape.", value)
