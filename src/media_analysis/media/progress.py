"""Progress of a decode as the share of the media's duration already sampled."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

ProgressCallback = Callable[[float], Awaitable[None]]


class DecodeProgress:
    """Told the timestamp of each sampled frame, it reports 0-100 of ``duration``."""

    def __init__(self, duration: float, on_progress: ProgressCallback | None) -> None:
        self._duration = duration
        self._on_progress = on_progress

    async def reached(self, seconds: float) -> None:
        if self._on_progress is not None and self._duration > 0:
            await self._on_progress(min(100.0, 100.0 * max(seconds, 0.0) / self._duration))

    async def finished(self) -> None:
        if self._on_progress is not None:
            await self._on_progress(100.0)
