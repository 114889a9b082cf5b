"""Per provider and model: attempts, success rate, latency percentiles, audio, cost."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.benchmark.pricing import cost_usd

ATTEMPT_STATS_SQL = """
WITH attempts AS (
    SELECT 'transcription' AS kind, a FROM transcriptions t, jsonb_array_elements(t.attempts) a
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
AUDIO_SQL = """
SELECT provider, coalesce(model, '') AS model, coalesce(sum(duration_seconds), 0) AS seconds
FROM transcriptions GROUP BY 1, 2
"""


async def provider_stats(session: AsyncSession) -> list[dict[str, Any]]:
    rows = (await session.execute(text(ATTEMPT_STATS_SQL))).all()
    audio = {
        (r.provider, r.model): float(r.seconds) for r in await session.execute(text(AUDIO_SQL))
    }
    return [_entry(row, audio) for row in rows]


def _entry(row: Any, audio: dict[tuple[str, str], float]) -> dict[str, Any]:
    seconds = audio.get((row.provider, row.model), 0.0) if row.kind == "transcription" else 0.0
    return {
        "kind": row.kind,
        "provider": row.provider,
        "model": row.model or None,
        "attempts": row.attempts,
        "skipped": row.skipped,
        "success_rate": round(row.successes / row.attempts, 4) if row.attempts else None,
        "latency_ms": {"p50": _round(row.p50), "p95": _round(row.p95)},
        "audio_seconds": round(seconds, 1),
        "cost_usd": cost_usd(row.provider, row.model, seconds)
        if row.kind == "transcription"
        else None,
    }


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None
