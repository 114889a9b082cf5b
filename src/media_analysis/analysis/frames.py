"""The frames local analysis looks at, and how their moments are written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class FrameRef:
    path: Path
    index: int = 0
    timestamp_seconds: float | None = None
    """``None`` for a still image, which has no moment in time."""


def format_timestamp(seconds: float | None) -> str | None:
    """``MM:SS.s`` (``H:MM:SS.s`` past an hour), the form contact-sheet tiles are stamped with."""
    if seconds is None:
        return None
    tenths = round(max(0.0, seconds) * 10)
    hours, rest = divmod(tenths, 36_000)
    minutes, rest = divmod(rest, 600)
    clock = f"{minutes:02d}:{rest // 10:02d}.{rest % 10}"
    return f"{hours}:{clock}" if hours else clock


def evenly_spaced(frames: list[T], limit: int) -> list[T]:
    """At most ``limit`` frames spread over the whole sequence, first and last included."""
    if len(frames) <= limit:
        return list(frames)
    if limit <= 1:
        return frames[:limit]
    step = (len(frames) - 1) / (limit - 1)
    return [frames[round(i * step)] for i in range(limit)]
