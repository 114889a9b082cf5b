"""One follower of a job (an SSE client, a ?wait= request): its place and a bounded queue.

The process's feed of the job hands every watcher the same rows; a watcher reads the
database itself only to start, to fill a gap, or when told its feed may be behind.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import AsyncGenerator
from typing import Protocol

from media_analysis.db.repositories.events import EventRecord, JobSnapshot


class WatchRegistry(Protocol):
    def attach(self, watcher: Watcher) -> None: ...

    def detach(self, watcher: Watcher) -> None: ...

    def caught_up(self, watcher: Watcher) -> None: ...

    def latest_announced(self, job_id: uuid.UUID) -> int: ...

    async def snapshot(self, job_id: uuid.UUID, after_sequence: int) -> JobSnapshot | None: ...


class Watcher:
    def __init__(
        self,
        registry: WatchRegistry,
        job_id: uuid.UUID,
        after_sequence: int,
        capacity: int | None,
        first_snapshot: JobSnapshot | None = None,
    ) -> None:
        self.job_id = job_id
        self.position = after_sequence  # the last sequence handed to the consumer
        self.snapshot_sequence: int | None = None  # the latest sequence its own read saw
        self.cut_off: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._registry = registry
        self._capacity = capacity
        self._first_snapshot = first_snapshot
        self._queue: deque[EventRecord] = deque()
        self._wake = asyncio.Event()
        self._stale = first_snapshot is None
        self._finished = False

    def deliver(self, events: list[EventRecord]) -> None:
        """Never waits: a consumer too slow to take what it is given is cut off instead."""
        if self.cut_off.done():
            return
        if self._capacity is not None and len(self._queue) + len(events) > self._capacity:
            self.cut_off.set_result(None)
            self._queue.clear()
            self._registry.detach(self)
        else:
            self._queue.extend(events)
        self._wake.set()

    def mark_stale(self) -> None:
        """The feed cannot vouch for this watcher's place: it re-reads on its own."""
        self._stale = True
        self._wake.set()

    async def events(self) -> AsyncGenerator[EventRecord]:
        """Events after ``position`` in order; ends after the terminal one or when cut off."""
        self._registry.attach(self)
        try:
            snapshot = self._first_snapshot_still_current()
            while not self.cut_off.done():
                if snapshot is None and self._stale:
                    snapshot = await self._read_snapshot()
                    if snapshot is None:
                        return
                if snapshot is not None:
                    self._take(snapshot)
                    for event in snapshot.events:
                        self.position = event.sequence
                        yield event
                        if event.terminal:
                            return
                    snapshot = None
                queued = self._next_queued()
                if queued is not None:
                    self.position = queued.sequence
                    yield queued
                    if queued.terminal:
                        return
                elif self._finished:
                    return
                elif not self._stale:
                    await self._wake.wait()
                    self._wake.clear()
        finally:
            self._registry.detach(self)

    def _first_snapshot_still_current(self) -> JobSnapshot | None:
        """A snapshot read before joining the feed misses what was announced in between."""
        snapshot, self._first_snapshot = self._first_snapshot, None
        if snapshot is None:
            return None
        if self._registry.latest_announced(self.job_id) > snapshot.last_sequence:
            self._stale = True
            return None
        return snapshot

    async def _read_snapshot(self) -> JobSnapshot | None:
        self._stale = False
        self._queue.clear()
        return await self._registry.snapshot(self.job_id, self.position)

    def _take(self, snapshot: JobSnapshot) -> None:
        # An id past the job's last event (a stale or made-up Last-Event-ID) must not
        # hide the events still to come.
        self.position = min(self.position, snapshot.last_sequence)
        self.snapshot_sequence = snapshot.last_sequence
        self._finished = snapshot.finished
        self._registry.caught_up(self)

    def _next_queued(self) -> EventRecord | None:
        while self._queue:
            event = self._queue.popleft()
            if event.sequence == self.position + 1:
                return event
            if event.sequence > self.position + 1:
                self.mark_stale()
                return None
        return None
