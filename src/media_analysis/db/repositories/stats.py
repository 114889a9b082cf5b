"""Aggregates over recorded work: stage timings, provider attempts, webhook deliveries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text

from media_analysis.db.models import DeliveryStatus, WebhookDelivery
from media_analysis.db.repositories.base import Repository

STAGES_SQL = text(
    """
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
    SELECT job_type, stage, count(*),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),
           percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds)
    FROM stages GROUP BY job_type, stage
    """
)
ATTEMPTS_SQL = text(
    """
    SELECT a->>'provider', coalesce(a->>'outcome', 'unknown'), count(*)
    FROM (
        SELECT jsonb_array_elements(attempts) AS a FROM transcriptions
        UNION ALL
        SELECT jsonb_array_elements(attempts) FROM analysis_results
    ) attempts
    GROUP BY 1, 2
    """
)
PROVIDER_ATTEMPTS_SQL = text(
    """
    WITH attempts AS (
        SELECT 'transcription' AS kind, a
        FROM transcriptions t, jsonb_array_elements(t.attempts) a
        UNION ALL
        SELECT 'analysis', a FROM analysis_results r, jsonb_array_elements(r.attempts) a
    )
    SELECT kind, a ->> 'provider' AS provider, coalesce(a ->> 'model', '') AS model,
           count(*) FILTER (WHERE a ->> 'outcome' <> 'skipped') AS attempts,
           count(*) FILTER (WHERE a ->> 'outcome' = 'success') AS successes,
           count(*) FILTER (WHERE a ->> 'outcome' = 'skipped') AS skipped,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY (a ->> 'latency_ms')::float)
               FILTER (WHERE a ->> 'outcome' <> 'skipped') AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY (a ->> 'latency_ms')::float)
               FILTER (WHERE a ->> 'outcome' <> 'skipped') AS p95
    FROM attempts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    """
)
TRANSCRIBED_SQL = text(
    """
    SELECT provider, coalesce(model, '') AS model, coalesce(sum(duration_seconds), 0)
    FROM transcriptions GROUP BY 1, 2
    """
)


@dataclass(frozen=True)
class StageDurations:
    """How long one stage of one job type took over the last hour."""

    job_type: str
    stage: str
    runs: int
    p50_seconds: float
    p95_seconds: float


@dataclass(frozen=True)
class AttemptCount:
    provider: str | None
    outcome: str
    count: int


@dataclass(frozen=True)
class DeliveryCount:
    target: str
    status: str
    count: int


@dataclass(frozen=True)
class ProviderAttempts:
    """One provider and model's recorded attempts for one kind of work."""

    kind: str
    provider: str | None
    model: str
    """Empty when the attempts named no model."""
    attempts: int
    """Calls made; skips are not counted."""
    successes: int
    skipped: int
    latency_p50_ms: float | None
    latency_p95_ms: float | None


class StatsRepository(Repository):
    async def stage_durations(self) -> list[StageDurations]:
        rows = (await self.session.execute(STAGES_SQL)).all()
        return [
            StageDurations(job_type, stage, runs, float(p50 or 0), float(p95 or 0))
            for job_type, stage, runs, p50, p95 in rows
        ]

    async def provider_attempt_counts(self) -> list[AttemptCount]:
        return [AttemptCount(*row) for row in (await self.session.execute(ATTEMPTS_SQL)).all()]

    async def delivery_counts(self) -> list[DeliveryCount]:
        query = select(WebhookDelivery.target, WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.target, WebhookDelivery.status
        )
        return [DeliveryCount(*row) for row in (await self.session.execute(query)).all()]

    async def oldest_pending_delivery_age(self) -> float:
        age = func.extract("epoch", func.now() - func.min(WebhookDelivery.created_at))
        query = select(func.coalesce(age, 0)).where(
            WebhookDelivery.status == DeliveryStatus.PENDING
        )
        return float((await self.session.execute(query)).scalar_one())

    async def provider_attempts(self) -> list[ProviderAttempts]:
        rows = (await self.session.execute(PROVIDER_ATTEMPTS_SQL)).all()
        return [ProviderAttempts(*row) for row in rows]

    async def transcribed_seconds(self) -> dict[tuple[str, str], float]:
        """Seconds of audio transcribed, by provider and model ('' when unnamed)."""
        rows = (await self.session.execute(TRANSCRIBED_SQL)).all()
        return {(provider, model): float(seconds) for provider, model, seconds in rows}
