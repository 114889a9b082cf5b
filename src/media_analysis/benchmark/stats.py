"""Per provider and model: attempts, success rate, latency percentiles, audio, cost."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.benchmark.pricing import cost_usd
from media_analysis.db.repositories import ProviderAttempts, StatsRepository


async def provider_stats(session: AsyncSession) -> list[dict[str, Any]]:
    stats = StatsRepository(session)
    audio = await stats.transcribed_seconds()
    return [_entry(row, audio) for row in await stats.provider_attempts()]


def _entry(row: ProviderAttempts, audio: dict[tuple[str, str], float]) -> dict[str, Any]:
    transcription = row.kind == "transcription"
    provider = row.provider or ""
    seconds = audio.get((provider, row.model), 0.0) if transcription else 0.0
    return {
        "kind": row.kind,
        "provider": row.provider,
        "model": row.model or None,
        "attempts": row.attempts,
        "skipped": row.skipped,
        "success_rate": round(row.successes / row.attempts, 4) if row.attempts else None,
        "latency_ms": {"p50": _round(row.latency_p50_ms), "p95": _round(row.latency_p95_ms)},
        "audio_seconds": round(seconds, 1),
        "cost_usd": cost_usd(provider, row.model, seconds) if transcription else None,
    }


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None
