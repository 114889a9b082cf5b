"""Gauges read from PostgreSQL at scrape time: jobs, queue, workers, stages, providers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.db.repositories import (
    AttemptCount,
    DeliveryCount,
    JobCount,
    JobRepository,
    QueueDepth,
    StageDurations,
    StatsRepository,
    WorkerLoad,
    WorkerRepository,
)

logger = logging.getLogger(__name__)

SCRAPE_TIMEOUT = 3.0
CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Readings:
    """Everything one scrape reads from the database."""

    jobs: Sequence[JobCount]
    queue: QueueDepth
    workers: WorkerLoad
    stages: list[StageDurations]
    attempts: list[AttemptCount]
    deliveries: list[DeliveryCount]
    oldest_delivery_age_seconds: float


async def read_database(session: AsyncSession) -> Readings:
    jobs, stats = JobRepository(session), StatsRepository(session)
    return Readings(
        jobs=await jobs.count_by_type_and_status(),
        queue=await jobs.queue_depth(),
        workers=await WorkerRepository(session).load(),
        stages=await stats.stage_durations(),
        attempts=await stats.provider_attempt_counts(),
        deliveries=await stats.delivery_counts(),
        oldest_delivery_age_seconds=await stats.oldest_pending_delivery_age(),
    )


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
                readings = await read_database(session)
        except Exception as exc:
            logger.warning("metrics: database unavailable (%s)", type(exc).__name__)
            self._metrics = [_up(0)]
            return
        self._metrics = [_up(1), *build_metrics(readings)]

    def collect(self) -> Iterable[Metric]:
        return list(self._metrics)


def build_metrics(readings: Readings) -> list[Metric]:
    jobs = GaugeMetricFamily(
        "media_analysis_jobs", "Jobs by type and status.", labels=["job_type", "status"]
    )
    for job in readings.jobs:
        jobs.add_metric([job.job_type, job.status], job.count)
    queue, workers = readings.queue, readings.workers
    return [
        jobs,
        _gauge("media_analysis_queue_depth", "Jobs waiting to be claimed.", queue.pending),
        _gauge(
            "media_analysis_queue_oldest_pending_age_seconds",
            "Age of the oldest pending job.",
            queue.oldest_pending_age_seconds,
        ),
        _gauge("media_analysis_workers", "Workers with a recent heartbeat.", workers.live),
        _gauge(
            "media_analysis_worker_running_jobs",
            "Jobs running on live workers.",
            workers.running_jobs,
        ),
        *_stage_metrics(readings.stages),
        _attempt_metric(readings.attempts),
        *_delivery_metrics(readings.deliveries, readings.oldest_delivery_age_seconds),
    ]


def _stage_metrics(stages: Iterable[StageDurations]) -> list[Metric]:
    labels = ["job_type", "stage"]
    seconds = GaugeMetricFamily(
        "media_analysis_job_stage_duration_seconds",
        "Stage durations of jobs in the last hour, by quantile.",
        labels=[*labels, "quantile"],
    )
    count = GaugeMetricFamily(
        "media_analysis_job_stage_runs", "Stage runs seen in the last hour.", labels=labels
    )
    for stage in stages:
        seconds.add_metric([stage.job_type, stage.stage, "0.5"], stage.p50_seconds)
        seconds.add_metric([stage.job_type, stage.stage, "0.95"], stage.p95_seconds)
        count.add_metric([stage.job_type, stage.stage], stage.runs)
    return [seconds, count]


def _attempt_metric(counts: Iterable[AttemptCount]) -> Metric:
    attempts = CounterMetricFamily(
        "media_analysis_provider_attempts",
        "Provider attempts recorded with jobs, by outcome.",
        labels=["provider", "outcome"],
    )
    for attempt in counts:
        attempts.add_metric([attempt.provider or "unknown", attempt.outcome], attempt.count)
    return attempts


def _delivery_metrics(counts: Iterable[DeliveryCount], oldest_pending: float) -> list[Metric]:
    deliveries = GaugeMetricFamily(
        "media_analysis_webhook_deliveries",
        "Webhook and Kommo deliveries by target and outcome (pending, delivered, failed, stopped).",
        labels=["target", "status"],
    )
    for delivery in counts:
        deliveries.add_metric([delivery.target, delivery.status], delivery.count)
    oldest = _gauge(
        "media_analysis_webhook_oldest_pending_age_seconds",
        "Age of the oldest delivery not yet delivered.",
        oldest_pending,
    )
    return [deliveries, oldest]


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _up(value: int) -> GaugeMetricFamily:
    return _gauge("media_analysis_database_up", "1 when the database answered the scrape.", value)
