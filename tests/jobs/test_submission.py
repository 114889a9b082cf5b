"""The shared submission path: idempotency keys and waiting for an outcome."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.repositories import JobRepository, SessionActivity, SessionRepository
from media_analysis.jobs.submission import (
    IdempotencyConflict,
    JobRequest,
    Submitted,
    submit_job,
    wait_for_job,
)
from tests.jobs.conftest import JobEngine
from tests.jobs.helpers import create_jobs, factory_for


def _client() -> SessionActivity:
    return SessionActivity(
        session_id=uuid.uuid4(),
        client_id=uuid.uuid4().hex,
        api_key_fingerprint=None,
        user_agent="tests",
        ip_address="127.0.0.1",
        requests=0,
        last_seen=datetime.now(UTC),
    )


async def test_the_same_key_and_body_return_the_original_job(db_session: AsyncSession) -> None:
    client = _client()
    key = f"key-{uuid.uuid4()}"
    request = JobRequest("video", {"fps": 3}, media_url="https://example.com/v.mp4")
    first = await submit_job(db_session, request, client, key)
    again = await submit_job(
        db_session,
        JobRequest("video", {"fps": 3}, media_url="https://example.com/v.mp4"),
        client,
        key,
    )
    assert first.created and not again.created
    assert again.job.id == first.job.id
    other = await submit_job(db_session, request, client, None)
    assert other.created and other.job.id != first.job.id


async def test_the_same_key_with_another_body_is_a_conflict(db_session: AsyncSession) -> None:
    client = _client()
    key = f"key-{uuid.uuid4()}"
    await submit_job(db_session, JobRequest("video", {"fps": 3}), client, key)
    with pytest.raises(IdempotencyConflict) as caught:
        await submit_job(db_session, JobRequest("video", {"fps": 5}), client, key)
    assert caught.value.status_code == 409


async def test_concurrent_submissions_under_one_key_make_one_job(db_url: str) -> None:
    factory = factory_for(db_url)
    client = _client()
    key = f"key-{uuid.uuid4()}"

    async def submit() -> Submitted:
        async with factory() as session:
            request = JobRequest("video", {"fps": 3}, media_url="https://example.com/v.mp4")
            submitted = await submit_job(session, request, client, key)
            await session.commit()
            return submitted

    results = await asyncio.gather(*(submit() for _ in range(8)))
    assert len({result.job.id for result in results}) == 1
    assert sum(result.created for result in results) == 1
    async with factory() as session:
        row = await SessionRepository(session).get(client.session_id)
        job = await JobRepository(session).get(results[0].job.id)
    assert row is not None and row.request_count == 0
    assert job is not None and job.session_id == client.session_id and job.status == "pending"


async def test_waiting_returns_the_finished_job_or_gives_up_in_time(
    job_engine: JobEngine,
) -> None:
    factory, broker = job_engine.session_factory, job_engine.broker
    (quick,) = await create_jobs(factory, "test.sleep", [{"seconds": 0.2, "steps": 1}])
    finished = await wait_for_job(factory, broker, quick, 15)
    assert finished is not None and finished.status == "completed"
    (slow,) = await create_jobs(factory, "test.sleep", [{"seconds": 5, "steps": 1}])
    started = datetime.now(UTC)
    unfinished = await wait_for_job(factory, broker, slow, 0.5)
    assert unfinished is not None and unfinished.status in ("pending", "processing")
    assert (datetime.now(UTC) - started).total_seconds() < 3
