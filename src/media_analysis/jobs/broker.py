"""Wake-ups for everyone waiting on a job's events (SSE streams, ?wait= requests)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict
from collections.abc import Callable

from media_analysis.jobs.channels import EVENTS_CHANNEL
from media_analysis.jobs.notifications import NotificationHub


class JobWatch:
    def __init__(self, release: Callable[[JobWatch], None]) -> None:
        self._changed = asyncio.Event()
        self._release = release

    def poke(self) -> None:
        self._changed.set()

    async def wait(self, timeout: float) -> bool:
        """True when something happened to the job; False after ``timeout``."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)
        happened = self._changed.is_set()
        self._changed.clear()
        return happened

    def close(self) -> None:
        self._release(self)


class EventBroker:
    def __init__(self, hub: NotificationHub) -> None:
        self._watches: dict[uuid.UUID, set[JobWatch]] = defaultdict(set)
        hub.subscribe(EVENTS_CHANNEL, self._on_event)
        hub.on_reconnect(self._poke_everyone)

    def watch(self, job_id: uuid.UUID) -> JobWatch:
        watch = JobWatch(lambda w: self._forget(job_id, w))
        self._watches[job_id].add(watch)
        return watch

    @property
    def watcher_count(self) -> int:
        return sum(len(watches) for watches in self._watches.values())

    def _forget(self, job_id: uuid.UUID, watch: JobWatch) -> None:
        watches = self._watches.get(job_id)
        if watches is not None:
            watches.discard(watch)
            if not watches:
                del self._watches[job_id]

    def _on_event(self, payload: str) -> None:
        job_id, _, _sequence = payload.partition(":")
        with contextlib.suppress(ValueError):
            for watch in list(self._watches.get(uuid.UUID(job_id), ())):
                watch.poke()

    def _poke_everyone(self) -> None:
        for watches in list(self._watches.values()):
            for watch in list(watches):
                watch.poke()
