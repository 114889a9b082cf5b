"""How long an understanding job took, as its result reports it."""

from __future__ import annotations

import time


def elapsed_ms(started: float) -> int:
    """Milliseconds since ``started`` (a ``time.monotonic()`` reading)."""
    return round((time.monotonic() - started) * 1000)
