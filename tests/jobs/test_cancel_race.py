"""Cancelling jobs the moment they start, against a real server: each ends exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.db.models import JobEvent
from media_analysis.db.repositories.events import TERMINAL_EVENTS
from tests.e2e.server import running_server, service_env
from tests.jobs.helpers import FINISHED, create_jobs, factory_for, wait_for_status
from tests.paths import REPO_ROOT

JOBS = 80
POLL_SECONDS = 0.005
GIVE_UP_SECONDS = 60


async def test_every_accepted_cancel_ends_its_job_once_and_never_reruns_it(
    tmp_path: Path, db_url: str
) -> None:
    env = service_env(
        tmp_path,
        DATABASE_URL=db_url,
        MEDIA_ANALYSIS_HANDLER_MODULES="tests.jobs.handlers",
        MEDIA_ANALYSIS_JOB_LEASE_SECONDS="3",
        MEDIA_ANALYSIS_JOB_HEARTBEAT_SECONDS="0.5",
        MEDIA_ANALYSIS_JOB_POLL_SECONDS="1",
        PYTHONPATH=str(REPO_ROOT),
    )
    factory = factory_for(db_url)
    # From no wait at all to a few tens of milliseconds, so that cancels land while
    # handlers run, while outcomes are written and just after they are committed.
    parameters = [{"seconds": 0.01 * (n % 8), "steps": 1} for n in range(JOBS)]
    with running_server(env, "--workers", "4") as base_url:
        job_ids = await create_jobs(factory, "test.sleep", parameters)
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            answers = await asyncio.gather(*(_cancel_once_started(http, id_) for id_ in job_ids))
        # 204: the job had finished before the DELETE and was deleted with its rows.
        kept = [job_id for job_id, answer in zip(job_ids, answers, strict=True) if answer != 204]
        jobs = await wait_for_status(factory, kept, FINISHED, timeout=GIVE_UP_SECONDS)
    accepted = {job_id for job_id, answer in zip(job_ids, answers, strict=True) if answer == 202}
    assert accepted, "no cancel was accepted: the experiment did not race anything"
    assert set(answers) <= {202, 204, None}
    terminal = await _terminal_events(factory, kept)
    for job in jobs:
        assert job.attempts == 1, (job.id, job.status)
        assert terminal[job.id] == [job.status], job.id
        if job.id in accepted:
            # Completed only when the completion committed before the cancel did.
            assert job.status == "cancelled" or not job.cancel_requested, job.id


async def _cancel_once_started(http: httpx.AsyncClient, job_id: uuid.UUID) -> int | None:
    """DELETE the job as soon as it shows `processing`; None if it finished unseen."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while time.monotonic() < deadline:
        status = (await http.get(f"/api/media/jobs/{job_id}")).json()["status"]
        if status == "processing":
            return (await http.delete(f"/api/media/jobs/{job_id}")).status_code
        if status != "pending":
            return None
        await asyncio.sleep(POLL_SECONDS)
    raise TimeoutError(f"job {job_id} never started")


async def _terminal_events(
    factory: async_sessionmaker[AsyncSession], job_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    query = select(JobEvent.job_id, JobEvent.event_type).where(
        JobEvent.job_id.in_(job_ids), JobEvent.event_type.in_(TERMINAL_EVENTS)
    )
    events: dict[uuid.UUID, list[str]] = defaultdict(list)
    async with factory() as session:
        for job_id, event_type in await session.execute(query):
            events[job_id].append(event_type)
    return events
