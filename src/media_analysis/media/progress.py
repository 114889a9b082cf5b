"""Turn ffmpeg's ``-progress pipe:1`` key=value lines into percentages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

ProgressCallback = Callable[[float], Awaitable[None]]


class FfmpegProgress:
    """Feed it stdout lines; it reports 0-100 once per ffmpeg progress block."""

    def __init__(self, duration: float, on_progress: ProgressCallback | None) -> None:
        self._duration = duration
        self._on_progress = on_progress
        self._out_time = 0.0

    async def feed(self, line: str) -> None:
        key, _, value = line.partition("=")
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            self._out_time = max(0.0, int(value) / 1_000_000)
        elif key == "progress" and self._on_progress is not None:
            await self._on_progress(100.0 if value == "end" else self.percent)

    @property
    def percent(self) -> float:
        if self._duration <= 0:
            return 0.0
        return min(100.0, 100.0 * self._out_time / self._duration)
