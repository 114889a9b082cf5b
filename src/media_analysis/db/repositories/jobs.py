from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import INET, JSONB

from media_analysis.db.channels import JOBS_CHANNEL
from media_analysis.db.models import Job, JobStatus
from media_analysis.db.repositories.base import Repository
from media_analysis.db.repositories.cursors import position_cursor, read_position_cursor
from media_analysis.db.repositories.sessions import SessionActivity

# The client's session row (for the jobs.session_id foreign key; its request counts
# are written in batches by api.clients.SessionTracker), the job, and the wake-up of
# the workers: one statement. A reused Idempotency-Key inserts nothing.
SUBMIT = (
    text(
        """
        WITH client AS (
            INSERT INTO sessions (id, client_id, api_key_fingerprint, user_agent, ip_address,
                                  request_count, last_activity)
            VALUES (:session_id, :client_id, :api_key_fingerprint, :user_agent, :client_ip,
                    0, now())
            ON CONFLICT DO NOTHING
        ), job AS (
            INSERT INTO jobs (id, job_type, status, parameters, media_url, media_type, prompt,
                              original_filename, max_attempts, session_id, client_ip,
                              owner_key_fingerprint, idempotency_key, request_hash)
            VALUES (:id, :job_type, 'pending', :parameters, :media_url, :media_type, :prompt,
                    :original_filename, :max_attempts, :session_id, :client_ip,
                    :api_key_fingerprint, :idempotency_key, :request_hash)
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING *
        )
        SELECT job.*, pg_notify(:channel, job.job_type) AS notified FROM job
        """
    )
    .bindparams(bindparam("parameters", type_=JSONB), bindparam("client_ip", type_=INET))
    .columns(**{column.name: column.type for column in Job.__table__.columns})
)


@dataclass(frozen=True)
class NewJob:
    """A job as a submission asks for it; the key and hash make a retried one idempotent."""

    job_type: str
    parameters: dict[str, Any]
    media_url: str | None
    media_type: str | None
    prompt: str | None
    original_filename: str | None
    max_attempts: int
    idempotency_key: str | None
    request_hash: str | None


@dataclass(frozen=True)
class JobPage:
    items: Sequence[Job]
    next_cursor: str | None


@dataclass(frozen=True)
class QueueDepth:
    pending: int
    oldest_pending_age_seconds: float


@dataclass(frozen=True)
class JobCount:
    job_type: str
    status: str
    count: int


class JobRepository(Repository):
    async def add(self, job: Job) -> Job:
        self.session.add(job)
        await self.session.flush()
        return job

    async def insert_submitted(self, new_job: NewJob, client: SessionActivity) -> Job | None:
        """Insert the job pending and wake the workers on commit; None when its
        Idempotency-Key is already taken."""
        values = {
            **vars(new_job),
            "id": uuid.uuid4(),
            "session_id": client.session_id,
            "client_id": client.client_id,
            "api_key_fingerprint": client.api_key_fingerprint,
            "user_agent": client.user_agent,
            "client_ip": client.ip_address,
            "channel": JOBS_CHANNEL,
        }
        row = (await self.session.execute(SUBMIT, values)).first()
        if row is None:
            return None
        return Job(**{name: value for name, value in row._mapping.items() if name != "notified"})

    async def get(self, job_id: uuid.UUID) -> Job | None:
        return await self.session.get(Job, job_id)

    async def get_owned(self, job_id: uuid.UUID, owner: str | None) -> Job | None:
        """The job when ``owner`` may see it (None: anyone may)."""
        job = await self.session.get(Job, job_id)
        if job is None or (owner is not None and job.owner_key_fingerprint != owner):
            return None
        return job

    async def get_many(self, job_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Job]:
        """The jobs of ``job_ids`` that exist, by id."""
        if not job_ids:
            return {}
        found = (await self.session.execute(select(Job).where(Job.id.in_(job_ids)))).scalars()
        return {job.id: job for job in found}

    async def get_by_idempotency_key(self, key: str) -> Job | None:
        query = select(Job).where(Job.idempotency_key == key)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list(
        self,
        *,
        status: str | None = None,
        job_type: str | None = None,
        media_type: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
        owner: str | None = None,
    ) -> JobPage:
        query = select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit + 1)
        if owner is not None:
            query = query.where(Job.owner_key_fingerprint == owner)
        if status:
            query = query.where(Job.status == status)
        if job_type:
            query = query.where(Job.job_type == job_type)
        if media_type:
            query = query.where(
                or_(
                    Job.media_type == media_type,
                    Job.job_type == media_type,
                    Job.job_type.like(f"{media_type}.%"),
                )
            )
        if since:
            query = query.where(Job.created_at >= since)
        if until:
            query = query.where(Job.created_at < until)
        if cursor:
            created_at, job_id = read_position_cursor(cursor)
            query = query.where(tuple_(Job.created_at, Job.id) < tuple_(created_at, job_id))
        rows = list((await self.session.execute(query)).scalars())
        last = rows[limit - 1] if len(rows) > limit else None
        next_cursor = position_cursor(last.created_at, last.id) if last else None
        return JobPage(rows[:limit], next_cursor)

    async def delete(self, job: Job) -> None:
        await self.session.execute(delete(Job).where(Job.id == job.id))
        await self.session.flush()

    async def set_media_type(self, job_id: uuid.UUID, media_type: str) -> None:
        await self.session.execute(
            update(Job).where(Job.id == job_id).values(media_type=media_type)
        )

    async def count_by_status(self) -> dict[str, int]:
        query = select(Job.status, func.count()).group_by(Job.status)
        return {status: count for status, count in (await self.session.execute(query)).all()}

    async def count_by_type_and_status(self) -> Sequence[JobCount]:
        query = select(Job.job_type, Job.status, func.count()).group_by(Job.job_type, Job.status)
        return [JobCount(*row) for row in (await self.session.execute(query)).all()]

    async def queue_depth(self) -> QueueDepth:
        """Jobs waiting to be claimed, and how long the oldest has waited."""
        oldest_age = func.extract("epoch", func.now() - func.min(Job.created_at))
        query = select(func.count(), func.coalesce(oldest_age, 0)).where(
            Job.status == JobStatus.PENDING
        )
        pending, age = (await self.session.execute(query)).one()
        return QueueDepth(int(pending), float(age))

    async def update(self, job: Job, **values: Any) -> Job:
        for name, value in values.items():
            setattr(job, name, value)
        job.updated_at = func.now()
        await self.session.flush()
        return job
