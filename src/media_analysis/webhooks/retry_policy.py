"""What an answer means for a delivery, and when to try again."""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MAX_RETRY_AFTER_SECONDS = 24 * 3600.0
JITTER = 0.2
RETRY_AFTER_STATUSES = frozenset({429, 503})
# Kommo answers these when the note itself is wrong: sending it again cannot help.
KOMMO_PERMANENT_STATUSES = frozenset({400, 402, 403, 404, 422})


class Verdict(enum.StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    STOP = "stop"  # 410 Gone: the receiver asks us never to send again
    FAIL = "fail"  # an answer that retrying cannot change


@dataclass(frozen=True)
class AttemptResult:
    verdict: Verdict
    latency_ms: int
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None


def webhook_verdict(status_code: int) -> Verdict:
    """Standard Webhooks: any 2xx is success, 410 disables, everything else is retried."""
    if 200 <= status_code < 300:
        return Verdict.DELIVERED
    if status_code == 410:
        return Verdict.STOP
    return Verdict.RETRY


def kommo_verdict(status_code: int) -> Verdict:
    if status_code in KOMMO_PERMANENT_STATUSES:
        return Verdict.FAIL
    return webhook_verdict(status_code)


def parse_retry_after(status_code: int, header: str | None, now: datetime) -> float | None:
    """Seconds from a Retry-After header (delta or HTTP date) on 429/503; None otherwise."""
    if status_code not in RETRY_AFTER_STATUSES or not header:
        return None
    header = header.strip()
    if header.isdigit():
        return min(float(header), MAX_RETRY_AFTER_SECONDS)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER_SECONDS)


def next_delay(
    schedule: tuple[float, ...], attempts: int, retry_after: float | None
) -> float | None:
    """Seconds until the next attempt after ``attempts`` failures; None when they are used up."""
    if attempts > len(schedule):
        return None
    # Jitter spreads out receivers that come back at once; it is not a secret.
    delay = schedule[attempts - 1] * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311
    return max(delay, retry_after or 0.0)
