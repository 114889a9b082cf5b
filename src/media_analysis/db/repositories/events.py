"""Job events: stored with a per-job sequence, announced with NOTIFY.

Callers lock the job row (by updating it) before appending, which serialises the
sequence numbers of one job without a separate lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import UUID, and_, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import aliased

from media_analysis.db.channels import EVENTS_CHANNEL, notify
from media_analysis.db.models import Job, JobEvent, JobStatus
from media_analysis.db.repositories.base import Repository

TERMINAL_EVENTS = frozenset({"completed", "failed", "cancelled"})
# job_events.sequence is an INTEGER column; a larger bound would fail the query.
MAX_SEQUENCE = 2**31 - 1


@dataclass(frozen=True, eq=False)
class EventRecord:
    """One stored event, detached from its session so every watcher can share it."""

    sequence: int
    event_type: str
    data: dict[str, Any]

    @property
    def terminal(self) -> bool:
        return self.event_type in TERMINAL_EVENTS

    @classmethod
    def of(cls, event: JobEvent) -> EventRecord:
        return cls(event.sequence, event.event_type, event.data)


@dataclass(frozen=True)
class JobSnapshot:
    """A job's events after a point, whether it has ended, and its latest sequence."""

    events: list[EventRecord]
    finished: bool
    last_sequence: int


def terminal_data(job_id: uuid.UUID, status: str, data: dict[str, Any]) -> dict[str, Any]:
    """A terminal event says how the job ended and where to read it."""
    return {"status": status, "links": {"self": f"/api/media/jobs/{job_id}"}, **data}


class EventRepository(Repository):
    async def append(self, job_id: uuid.UUID, event_type: str, data: dict[str, Any]) -> int:
        """Store the job's next event and announce it on commit; returns its sequence."""
        next_sequence = (
            select(func.coalesce(func.max(JobEvent.sequence), 0) + 1)
            .where(JobEvent.job_id == job_id)
            .scalar_subquery()
        )
        statement = (
            insert(JobEvent)
            .values(job_id=job_id, sequence=next_sequence, event_type=event_type, data=data)
            .returning(JobEvent.sequence)
        )
        sequence = (await self.session.execute(statement)).scalar_one()
        await notify(self.session, EVENTS_CHANNEL, f"{job_id}:{sequence}")
        return int(sequence)

    async def after(self, job_id: uuid.UUID, after_sequence: int) -> list[EventRecord]:
        query = (
            select(JobEvent)
            .where(JobEvent.job_id == job_id, JobEvent.sequence > after_sequence)
            .order_by(JobEvent.sequence)
        )
        return [EventRecord.of(event) for event in (await self.session.execute(query)).scalars()]

    async def snapshot_after(self, job_id: uuid.UUID, after_sequence: int) -> JobSnapshot | None:
        """One statement: the events after ``after_sequence`` and the job's state; None if gone."""
        every_event = aliased(JobEvent)
        last_sequence = (
            select(func.coalesce(func.max(every_event.sequence), 0))
            .where(every_event.job_id == Job.id)
            .correlate(Job)
            .scalar_subquery()
        )
        query = (
            select(Job.status, last_sequence, JobEvent)
            .outerjoin(
                JobEvent, and_(JobEvent.job_id == Job.id, JobEvent.sequence > after_sequence)
            )
            .where(Job.id == job_id)
            .order_by(JobEvent.sequence)
        )
        rows = (await self.session.execute(query)).all()
        if not rows:
            return None
        status, last, _ = rows[0]
        events = [EventRecord.of(event) for _, _, event in rows if event is not None]
        return JobSnapshot(events, JobStatus(status).finished, int(last))

    async def latest_sequences(self, job_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
        """The latest event sequence of each job that still exists, in one statement."""
        query = (
            select(Job.id, func.coalesce(func.max(JobEvent.sequence), 0))
            .outerjoin(JobEvent, JobEvent.job_id == Job.id)
            .where(Job.id == any_(bindparam("job_ids", list(job_ids), type_=ARRAY(UUID))))
            .group_by(Job.id)
        )
        rows = (await self.session.execute(query)).all()
        return {job_id: int(last) for job_id, last in rows}
