"""Job events for everyone in this process who follows a job (SSE streams, ?wait= requests).

A NOTIFY on the events channel makes the job's feed read the new rows once and hand the
same rows to all its watchers. Idle watchers cost nothing: a single re-check every few
seconds (and right after the notification connection comes back) covers every watched
job in one statement, in case a NOTIFY was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.db.channels import EVENTS_CHANNEL
from media_analysis.db.repositories.events import EventRecord, EventRepository, JobSnapshot
from media_analysis.jobs.feed import JobFeed
from media_analysis.jobs.notifications import NotificationHub
from media_analysis.jobs.watcher import Watcher

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 5.0
# Latest announced sequences, also of jobs nobody here watches yet: a stream that read
# its start before joining its feed learns from them whether it missed something.
RECENT_JOBS = 10_000


class EventBroker:
    def __init__(
        self,
        hub: NotificationHub,
        session_factory: async_sessionmaker[AsyncSession],
        client_buffer: int,
    ) -> None:
        self._session_factory = session_factory
        self._client_buffer = client_buffer
        self._feeds: dict[uuid.UUID, JobFeed] = {}
        self._announced: dict[uuid.UUID, int] = {}
        self._recheck_requested = asyncio.Event()
        self.rechecks = 0
        hub.subscribe(EVENTS_CHANNEL, self._on_event)
        hub.on_reconnect(self._recheck_requested.set)

    def watcher(
        self,
        job_id: uuid.UUID,
        after_sequence: int,
        *,
        first_snapshot: JobSnapshot | None = None,
        bounded: bool = True,
    ) -> Watcher:
        """A watcher that joins the job's feed when its events are first iterated.

        ``first_snapshot`` is the caller's own read of the job after ``after_sequence``,
        which saves the watcher reading it again.
        """
        capacity = self._client_buffer if bounded else None
        return Watcher(self, job_id, after_sequence, capacity, first_snapshot)

    @property
    def watcher_count(self) -> int:
        return sum(len(feed.watchers) for feed in self._feeds.values())

    async def run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._recheck_requested.wait(), RECHECK_SECONDS)
            self._recheck_requested.clear()
            if self._feeds:
                await self.recheck()

    async def recheck(self) -> None:
        """One statement for every watched job: catch up feeds, end streams of deleted jobs."""
        job_ids = list(self._feeds)
        self.rechecks += 1
        try:
            async with self._session_factory() as session:
                latest = await EventRepository(session).latest_sequences(job_ids)
        except Exception as exc:
            logger.warning("could not re-check watched jobs (%s)", exc)
            return
        for job_id in job_ids:
            feed = self._feeds.get(job_id)
            if feed is None:
                continue
            if job_id in latest:
                feed.announce(latest[job_id])
            else:
                feed.mark_watchers_stale()

    def attach(self, watcher: Watcher) -> None:
        feed = self._feeds.get(watcher.job_id)
        if feed is None:
            feed = self._feeds[watcher.job_id] = JobFeed(watcher.job_id, self._read_events)
        feed.watchers.add(watcher)

    def detach(self, watcher: Watcher) -> None:
        feed = self._feeds.get(watcher.job_id)
        if feed is not None:
            feed.watchers.discard(watcher)
            if not feed.watchers:
                del self._feeds[watcher.job_id]

    def caught_up(self, watcher: Watcher) -> None:
        feed = self._feeds.get(watcher.job_id)
        if feed is not None and watcher.snapshot_sequence is not None:
            feed.watcher_caught_up(watcher.snapshot_sequence)

    def latest_announced(self, job_id: uuid.UUID) -> int:
        return self._announced.get(job_id, 0)

    async def snapshot(self, job_id: uuid.UUID, after_sequence: int) -> JobSnapshot | None:
        """The job after ``after_sequence``; None once it is gone or out of reach."""
        try:
            async with self._session_factory() as session:
                return await EventRepository(session).snapshot_after(job_id, after_sequence)
        except (SQLAlchemyError, OSError) as exc:
            # The stream ends and its client reconnects with Last-Event-ID.
            logger.warning("could not read events of job %s (%s)", job_id, exc)
            return None

    async def _read_events(self, job_id: uuid.UUID, after_sequence: int) -> list[EventRecord]:
        async with self._session_factory() as session:
            return await EventRepository(session).after(job_id, after_sequence)

    def _on_event(self, payload: str) -> None:
        job_text, _, sequence_text = payload.partition(":")
        with contextlib.suppress(ValueError):
            job_id, sequence = uuid.UUID(job_text), int(sequence_text)
            self._remember(job_id, sequence)
            feed = self._feeds.get(job_id)
            if feed is not None:
                feed.announce(sequence)

    def _remember(self, job_id: uuid.UUID, sequence: int) -> None:
        self._announced.pop(job_id, None)
        self._announced[job_id] = sequence
        if len(self._announced) > RECENT_JOBS:
            del self._announced[next(iter(self._announced))]
