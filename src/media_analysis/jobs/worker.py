"""The worker loop: claim, run, heartbeat, finish; cancel and shut down cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.channels import CANCEL_CHANNEL, JOBS_CHANNEL
from media_analysis.db.models import Job
from media_analysis.db.repositories import WorkerRepository
from media_analysis.jobs import queue
from media_analysis.jobs.claims import claim_jobs
from media_analysis.jobs.completions import CompletionWriter
from media_analysis.jobs.connection import WorkerConnection
from media_analysis.jobs.events import ProgressReporter
from media_analysis.jobs.notifications import NotificationHub
from media_analysis.jobs.queue import Lease
from media_analysis.jobs.registry import HandlerRegistry, JobContext
from media_analysis.jobs.runner import JobRun
from media_analysis.storage import Storage

if TYPE_CHECKING:
    from media_analysis.providers.factory import Providers

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OSError, DBAPIError, InterfaceError, OperationalError, TimeoutError)


@dataclass
class WorkerOptions:
    concurrency: int = 2
    lease_seconds: float = 30.0
    heartbeat_seconds: float = 10.0
    poll_seconds: float = 5.0
    grace_seconds: float = 30.0
    type_limits: dict[str, int] = field(default_factory=dict)


class Worker:
    def __init__(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        registry: HandlerRegistry,
        hub: NotificationHub,
        options: WorkerOptions,
        providers: Providers,
        storage: Storage,
    ) -> None:
        self.settings = settings
        self.providers = providers
        self.storage = storage
        self.session_factory = session_factory
        self.connection = WorkerConnection(engine)
        self.registry = registry
        self.options = options
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.completions = CompletionWriter(self.connection, self.worker_id)
        self.running: dict[uuid.UUID, JobRun] = {}
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._unsubscribe = [
            hub.subscribe(JOBS_CHANNEL, lambda _payload: self._wake.set()),
            hub.subscribe(CANCEL_CHANNEL, self._on_cancel_notice),
            hub.on_reconnect(self._wake.set),
        ]

    async def run(self) -> None:
        """Claim and run jobs until ``stop()``; survives database outages."""
        heartbeat = asyncio.create_task(self._heartbeat_loop())
        try:
            while not self._stopping.is_set():
                claimed = await self._claim_free_slots()
                if not claimed:
                    await self._sleep_until_woken()
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    async def stop(self) -> None:
        """Stop claiming, let running jobs finish within the grace period, release the rest."""
        self._stopping.set()
        self._wake.set()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        tasks = [running.task for running in self.running.values()]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=self.options.grace_seconds)
            for running in list(self.running.values()):
                if running.task in pending:
                    running.stop("shutdown")
            if pending:
                await asyncio.wait(pending, timeout=10)
        with contextlib.suppress(*DATABASE_ERRORS):
            async with self.session_factory() as session:
                await WorkerRepository(session).forget(self.worker_id)
                await session.commit()
        await self.connection.close()

    async def _claim_free_slots(self) -> bool:
        free_slots = self._free_slots()
        if not free_slots:
            return False
        capacity = self.options.concurrency - len(self.running)
        try:
            async with self.connection.use() as connection:
                jobs = await claim_jobs(
                    connection, self.worker_id, free_slots, capacity, self.options.lease_seconds
                )
        except DATABASE_ERRORS as exc:
            logger.warning("cannot claim jobs, database unavailable (%s)", type(exc).__name__)
            await asyncio.sleep(1)
            return False
        for job in jobs:
            self._start(job)
        return bool(jobs)

    def _free_slots(self) -> dict[str, int]:
        """Per job type, how many more this worker may run now; empty when it is full."""
        capacity = self.options.concurrency - len(self.running)
        if capacity <= 0:
            return {}
        busy = Counter(running.job.job_type for running in self.running.values())
        slots = {
            job_type: min(capacity, self._limit(job_type) - busy[job_type])
            for job_type in self.registry.job_types
        }
        return {job_type: free for job_type, free in slots.items() if free > 0}

    def _limit(self, job_type: str) -> int:
        spec = self.registry.get(job_type)
        default = spec.max_concurrency if spec and spec.max_concurrency else None
        limit = self.options.type_limits.get(job_type, default or self.options.concurrency)
        return max(1, limit)

    def _start(self, job: Job) -> None:
        spec = self.registry.get(job.job_type)
        assert spec is not None
        reporter = ProgressReporter(self.session_factory, job.id, self.worker_id)
        context = JobContext(
            job, self.settings, reporter, self.session_factory, self.providers, self.storage
        )
        lease = Lease(job.id, self.worker_id)
        running = JobRun(spec.handler, context, lease, self.completions)
        running.task.add_done_callback(lambda _t: self._finished(job.id))
        self.running[job.id] = running

    def _finished(self, job_id: uuid.UUID) -> None:
        self.running.pop(job_id, None)
        self._wake.set()

    def _on_cancel_notice(self, payload: str) -> None:
        with contextlib.suppress(ValueError):
            self.cancel_running(uuid.UUID(payload), "cancel")

    def cancel_running(self, job_id: uuid.UUID, reason: str) -> None:
        running = self.running.get(job_id)
        if running is not None:
            running.stop(reason)

    async def _sleep_until_woken(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.options.poll_seconds)
        self._wake.clear()

    async def _heartbeat_loop(self) -> None:
        last_renewed = time.monotonic()
        while True:
            try:
                await self._beat()
                last_renewed = time.monotonic()
            except DATABASE_ERRORS as exc:
                logger.warning("heartbeat failed, database unavailable (%s)", type(exc).__name__)
                if time.monotonic() - last_renewed > self.options.lease_seconds * 0.9:
                    self._abandon_all()
            await asyncio.sleep(self.options.heartbeat_seconds)

    def _abandon_all(self) -> None:
        """Our leases may have expired: stop before another worker runs the same jobs."""
        for job_id in list(self.running):
            self.cancel_running(job_id, "lost")

    async def _beat(self) -> None:
        async with self.session_factory() as session:
            await WorkerRepository(session).record(
                self.worker_id, self.options.concurrency, len(self.running)
            )
            for job_id in list(self.running):
                held = await queue.renew_lease(
                    session, Lease(job_id, self.worker_id), self.options.lease_seconds
                )
                if held is None:
                    self.cancel_running(job_id, "lost")
                elif held is False:
                    self.cancel_running(job_id, "cancel")
            reclaimed = await queue.reclaim_expired_leases(session)
            await session.commit()
        if reclaimed:
            logger.info("reclaimed %d jobs whose worker stopped responding", reclaimed)
            self._wake.set()
