"""The broker's database cost: one read per event for all watchers, nothing while idle."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from media_analysis.db.repositories import JobRepository
from media_analysis.db.repositories.events import EventRecord
from media_analysis.jobs.broker import RECHECK_SECONDS, EventBroker
from media_analysis.jobs.lifecycle import cancel_or_delete
from tests.jobs.conftest import JobEngine
from tests.jobs.helpers import create_jobs

WATCHERS = 100


@dataclass
class Cost:
    reads: list[str] = field(default_factory=list)  # SELECTs on job_events
    rechecks: int = 0


@contextmanager
def database_cost(job_engine: JobEngine) -> Iterator[Cost]:
    """What the process's engine reads of job_events while the block is open."""
    cost = Cost()
    engine, broker = job_engine.engine.sync_engine, job_engine.broker

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "job_events" in statement:
            cost.reads.append(statement)

    rechecks_before = broker.rechecks
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield cost
    finally:
        event.remove(engine, "before_cursor_execute", record)
        cost.rechecks = broker.rechecks - rechecks_before


class Followers:
    """Watchers of one job, each collecting its events; ``ready`` once all have one."""

    def __init__(self, broker: EventBroker, job_id: uuid.UUID, count: int) -> None:
        self._started = 0
        self._all_started = asyncio.Event()
        self._count = count
        self.tasks = [asyncio.create_task(self._follow(broker, job_id)) for _ in range(count)]

    async def ready(self) -> None:
        await self._all_started.wait()

    async def results(self) -> list[list[EventRecord]]:
        return list(await asyncio.gather(*self.tasks))

    async def _follow(self, broker: EventBroker, job_id: uuid.UUID) -> list[EventRecord]:
        events = []
        async for record in broker.watcher(job_id, 0).events():
            events.append(record)
            if len(events) == 1:
                self._started += 1
                if self._started == self._count:
                    self._all_started.set()
        return events


async def _followed_job(job_engine: JobEngine, seconds: float) -> tuple[uuid.UUID, Followers]:
    """A job that reports once and then sleeps, with every follower past that report."""
    parameters = {"seconds": seconds, "steps": 1}
    (job_id,) = await create_jobs(job_engine.session_factory, "test.sleep", [parameters])
    followers = Followers(job_engine.broker, job_id, WATCHERS)
    await followers.ready()
    return job_id, followers


async def test_watchers_of_a_running_job_share_one_read_per_event(job_engine: JobEngine) -> None:
    _job_id, followers = await _followed_job(job_engine, seconds=3)
    with database_cost(job_engine) as cost:
        seen = await followers.results()
    assert all([e.event_type for e in events] == ["progress", "completed"] for events in seen)
    completed = {id(events[-1]) for events in seen}
    assert len(completed) == 1, "every watcher was handed the same record"
    # One read brought the completed event to every watcher; re-checks may add theirs.
    assert 1 <= len(cost.reads) <= 1 + cost.rechecks, cost.reads


async def test_idle_watchers_issue_no_queries_of_their_own(job_engine: JobEngine) -> None:
    job_id, followers = await _followed_job(job_engine, seconds=60)
    with database_cost(job_engine) as cost:
        await job_engine.broker.recheck()
        # Longer than the re-check period, so any per-stream polling would show here.
        await asyncio.sleep(RECHECK_SECONDS + 1)
    assert cost.rechecks >= 2
    assert len(cost.reads) == cost.rechecks, cost.reads
    assert not any(task.done() for task in followers.tasks)
    async with job_engine.session_factory() as session:
        job = await JobRepository(session).get(job_id)
        assert job is not None
        await cancel_or_delete(session, job)
        await session.commit()
    ended = await followers.results()
    assert all([e.event_type for e in events] == ["progress", "cancelled"] for events in ended)
