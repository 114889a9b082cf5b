"""Creating jobs directly in the database and waiting for them, for engine tests."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from media_analysis.db.channels import JOBS_CHANNEL, notify
from media_analysis.db.models import Job, JobStatus
from media_analysis.db.repositories import JobRepository


async def create_jobs(
    session_factory: async_sessionmaker[AsyncSession],
    job_type: str,
    parameters: Iterable[dict[str, Any]],
    **columns: Any,
) -> list[uuid.UUID]:
    async with session_factory() as session:
        jobs = [
            Job(id=uuid.uuid4(), job_type=job_type, parameters=p, **columns) for p in parameters
        ]
        session.add_all(jobs)
        await notify(session, JOBS_CHANNEL, job_type)
        await session.commit()
        return [job.id for job in jobs]


async def wait_for_status(
    session_factory: async_sessionmaker[AsyncSession],
    job_ids: list[uuid.UUID],
    statuses: set[str],
    timeout: float,
) -> list[Job]:
    deadline = time.monotonic() + timeout
    while True:
        async with session_factory() as session:
            jobs = list((await session.execute(select(Job).where(Job.id.in_(job_ids)))).scalars())
        if len(jobs) == len(job_ids) and all(job.status in statuses for job in jobs):
            return jobs
        if time.monotonic() > deadline:
            counts: dict[str, int] = {}
            for job in jobs:
                counts[job.status] = counts.get(job.status, 0) + 1
            raise TimeoutError(f"jobs did not reach {statuses}: {counts}")
        await asyncio.sleep(0.1)


async def count_jobs(session_factory: async_sessionmaker[AsyncSession], status: str) -> int:
    async with session_factory() as session:
        query = select(func.count()).select_from(Job).where(Job.status == status)
        return int(await session.scalar(query) or 0)


def factory_for(url: str) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(create_async_engine(url), expire_on_commit=False)


async def get_job(session_factory: async_sessionmaker[AsyncSession], job_id: uuid.UUID) -> Job:
    async with session_factory() as session:
        job = await JobRepository(session).get(job_id)
        assert job is not None
        return job


FINISHED = {JobStatus.COMPLETED.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value}
