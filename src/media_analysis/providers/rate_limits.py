"""Read the "wait this long" hints providers attach to throttling answers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

GO_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)")
GO_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
PROTOBUF_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def retry_after_header(headers: httpx.Headers) -> float | None:
    """``Retry-After`` as seconds from now: either delta-seconds or an HTTP date."""
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def ratelimit_reset_hint(headers: httpx.Headers) -> float | None:
    """Groq/OpenAI ``x-ratelimit-reset-*`` for whichever limit is exhausted (e.g. ``6m0s``)."""
    waits = [
        parse_go_duration(headers.get(f"x-ratelimit-reset-{limit}", ""))
        for limit in ("requests", "tokens")
        if headers.get(f"x-ratelimit-remaining-{limit}", "").strip() == "0"
    ]
    known = [wait for wait in waits if wait is not None]
    return max(known) if known else None


def parse_go_duration(value: str) -> float | None:
    text = value.strip()
    parts = GO_DURATION_PART.findall(text)
    if not text or "".join(number + unit for number, unit in parts) != text:
        return None
    return sum(float(number) * GO_UNIT_SECONDS[unit] for number, unit in parts)


def parse_protobuf_duration(value: object) -> float | None:
    """google.rpc.RetryInfo ``retryDelay`` in its JSON form, e.g. ``"53s"`` or ``"0.5s"``."""
    if not isinstance(value, str):
        return None
    match = PROTOBUF_DURATION.match(value)
    return float(match.group(1)) if match else None
