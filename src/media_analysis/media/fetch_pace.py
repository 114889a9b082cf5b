"""Keeping slow sources from holding a worker: a minimum rate and a limit on fetches.

A source that drips a byte every few seconds never trips a per-read timeout. The
minimum rate does: the download fails unless at least ``min_bytes_per_second`` ×
``window`` bytes arrive within every ``window`` seconds. Downloads also take one of a
few process-wide slots, so that many of them cannot take every core and connection
from the jobs that are processing.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class FetchPace:
    min_bytes_per_second: int = 0
    """0: no minimum."""
    window_seconds: float = 30.0
    max_concurrent: int | None = None
    """``None``: no limit on simultaneous downloads."""


class RateWatch:
    """Counts bytes and pushes the deadline back each time a window's worth arrived."""

    def __init__(self, pace: FetchPace) -> None:
        self.pace = pace
        self._received = 0
        self._deadline: asyncio.Timeout | None = None

    @asynccontextmanager
    async def watching(self) -> AsyncIterator[RateWatch]:
        """Raises ``TimeoutError`` when a window passes with too few bytes."""
        if not self.pace.min_bytes_per_second:
            yield self
            return
        async with asyncio.timeout(self.pace.window_seconds) as deadline:
            self._deadline = deadline
            yield self

    def received(self, size: int) -> None:
        if self._deadline is None:
            return
        self._received += size
        if self._received >= self.pace.min_bytes_per_second * self.pace.window_seconds:
            self._received = 0
            loop = asyncio.get_running_loop()
            self._deadline.reschedule(loop.time() + self.pace.window_seconds)

    def too_slow_message(self, host: str) -> str:
        return (
            f"The download from {host} was slower than {self.pace.min_bytes_per_second} "
            f"bytes per second over {self.pace.window_seconds:g} seconds."
        )


_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)


@asynccontextmanager
async def fetch_slot(max_concurrent: int | None) -> AsyncIterator[None]:
    """One of the process's ``max_concurrent`` download slots, waited for if need be."""
    if max_concurrent is None:
        yield
        return
    slots = _slots.setdefault(asyncio.get_running_loop(), {})
    async with slots.setdefault(max_concurrent, asyncio.Semaphore(max_concurrent)):
        yield
