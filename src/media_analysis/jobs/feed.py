"""Everyone in this process watching one job, and the one reader of its new events."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

from media_analysis.db.repositories.events import EventRecord
from media_analysis.jobs.watcher import Watcher

logger = logging.getLogger(__name__)

EventReader = Callable[[uuid.UUID, int], Awaitable[list[EventRecord]]]


class JobFeed:
    def __init__(self, job_id: uuid.UUID, read_events: EventReader) -> None:
        self.job_id = job_id
        self.watchers: set[Watcher] = set()
        self._read_events = read_events
        self._cursor: int | None = None  # the latest sequence this feed has handed out
        self._floor: int | None = None  # before the first read: the lowest watcher's read
        self._announced = 0
        self._reader: asyncio.Task[None] | None = None

    def announce(self, sequence: int) -> None:
        """A NOTIFY or a re-check says the job has events up to ``sequence``."""
        self._announced = max(self._announced, sequence)
        if self._behind() and (self._reader is None or self._reader.done()):
            self._reader = asyncio.create_task(self._read_announced())

    def watcher_caught_up(self, snapshot_sequence: int) -> None:
        if self._floor is None or snapshot_sequence < self._floor:
            self._floor = snapshot_sequence
        # An event announced while every watcher was still reading on its own may have
        # been committed after their reads began: the feed fetches it now.
        self.announce(0)

    def mark_watchers_stale(self) -> None:
        for watcher in list(self.watchers):
            watcher.mark_stale()

    async def _read_announced(self) -> None:
        try:
            while self._behind():
                events = await self._read_events(self.job_id, self._start())
                if not events:
                    return
                self._cursor = events[-1].sequence
                for watcher in list(self.watchers):
                    watcher.deliver(events)
        except Exception as exc:
            # The watchers keep what they have; the re-check after the database comes
            # back announces the job again.
            logger.warning("could not read new events of job %s (%s)", self.job_id, exc)

    def _start(self) -> int:
        return self._cursor if self._cursor is not None else self._floor or 0

    def _behind(self) -> bool:
        known = self._cursor if self._cursor is not None else self._floor
        return known is not None and known < self._announced
