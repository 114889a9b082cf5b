"""Server-Sent Events of one job: replay from Last-Event-ID, follow live, end on terminal."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.db.models import Job
from media_analysis.jobs.broker import EventBroker
from media_analysis.jobs.events import TERMINAL_EVENTS, events_after

RECHECK_SECONDS = 5.0


async def job_events(
    session_factory: async_sessionmaker[AsyncSession],
    broker: EventBroker,
    job_id: uuid.UUID,
    after_sequence: int,
) -> AsyncIterator[dict[str, Any]]:
    watch = broker.watch(job_id)
    try:
        while True:
            async with session_factory() as session:
                events = await events_after(session, job_id, after_sequence)
                job_exists = events or await session.get(Job, job_id) is not None
            for event in events:
                after_sequence = event.sequence
                yield {
                    "id": str(event.sequence),
                    "event": event.event_type,
                    "data": json.dumps(event.data),
                }
                if event.event_type in TERMINAL_EVENTS:
                    return
            if not job_exists:
                return
            await watch.wait(RECHECK_SECONDS)
    finally:
        watch.close()


def parse_last_event_id(value: str | None) -> int:
    if value is None:
        return 0
    try:
        return max(int(value.strip()), 0)
    except ValueError:
        return 0
