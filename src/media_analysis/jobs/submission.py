"""The one submission path every pipeline uses: idempotency, the job row, the wake-up."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.db.models import Job
from media_analysis.db.repositories import JobRepository, NewJob, SessionActivity
from media_analysis.db.repositories.events import MAX_SEQUENCE
from media_analysis.errors import Conflict
from media_analysis.jobs.broker import EventBroker

MAX_WAIT_SECONDS = 60


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"
    title = "Idempotency Key Reused"


@dataclass
class JobRequest:
    job_type: str
    parameters: dict[str, Any]
    media_url: str | None = None
    media_type: str | None = None
    prompt: str | None = None
    original_filename: str | None = None
    max_attempts: int = 3
    fingerprint_extra: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        canonical = json.dumps(
            {
                "job_type": self.job_type,
                "parameters": self.parameters,
                "media_url": self.media_url,
                "media_type": self.media_type,
                "prompt": self.prompt,
                **self.fingerprint_extra,
            },
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Submitted:
    job: Job
    created: bool


async def submit_job(
    session: AsyncSession,
    request: JobRequest,
    client: SessionActivity,
    idempotency_key: str | None,
) -> Submitted:
    """Create the job, or return the earlier one under the same key; the caller commits."""
    request_hash = request.fingerprint() if idempotency_key else None
    # Twice at most: a job deleted between the two statements frees its key.
    for _ in range(2):
        job = await _insert(session, request, client, idempotency_key, request_hash)
        if job is not None:
            return Submitted(job, created=True)
        assert idempotency_key is not None and request_hash is not None
        existing = await _existing(JobRepository(session), idempotency_key, request_hash)
        if existing is not None:
            return Submitted(existing, created=False)
    raise IdempotencyConflict("This Idempotency-Key is being reused concurrently; retry.")


async def _insert(
    session: AsyncSession,
    request: JobRequest,
    client: SessionActivity,
    idempotency_key: str | None,
    request_hash: str | None,
) -> Job | None:
    new_job = NewJob(
        job_type=request.job_type,
        parameters=request.parameters,
        media_url=request.media_url,
        media_type=request.media_type,
        prompt=request.prompt,
        original_filename=request.original_filename,
        max_attempts=request.max_attempts,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    return await JobRepository(session).insert_submitted(new_job, client)


async def _existing(jobs: JobRepository, key: str, request_hash: str) -> Job | None:
    job = await jobs.get_by_idempotency_key(key)
    if job is not None and job.request_hash != request_hash:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used with a different request body."
        )
    return job


async def wait_for_job(
    session_factory: async_sessionmaker[AsyncSession],
    broker: EventBroker,
    job_id: uuid.UUID,
    seconds: float,
) -> Job | None:
    """Hold until the job ends or ``seconds`` pass; returns the job as it then is."""
    watcher = broker.watcher(job_id, MAX_SEQUENCE, bounded=False)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(min(max(seconds, 0), MAX_WAIT_SECONDS)):
            async with contextlib.aclosing(watcher.events()) as events:
                async for _event in events:
                    pass
    async with session_factory() as session:
        return await JobRepository(session).get(job_id)
