"""Claiming work: every free slot of a worker filled by one statement.

Plain SQL because the claim is the hottest statement of the engine and reads best as
what PostgreSQL runs: per job type, its oldest runnable jobs up to the worker's free
slots for that type (SKIP LOCKED, so workers never wait on each other), then the
oldest of those up to the worker's free capacity, marked as held by the worker.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from media_analysis.db.models import Job

CLAIM = text(
    """
    WITH wanted AS (
        SELECT job_type, slots
        FROM unnest(CAST(:job_types AS text[]), CAST(:slots AS integer[])) AS w(job_type, slots)
    ), picked AS (
        SELECT candidate.id
        FROM wanted CROSS JOIN LATERAL (
            SELECT id, run_after, created_at FROM jobs
            WHERE status = 'pending' AND run_after <= now() AND job_type = wanted.job_type
            ORDER BY run_after, created_at
            LIMIT wanted.slots
            FOR UPDATE SKIP LOCKED
        ) AS candidate
        ORDER BY candidate.run_after, candidate.created_at
        LIMIT :capacity
    )
    UPDATE jobs
    SET status = 'processing',
        worker_id = :worker_id,
        lease_expires_at = now() + make_interval(secs => :lease_seconds),
        attempts = attempts + 1,
        started_at = coalesce(started_at, now()),
        updated_at = now()
    FROM picked
    WHERE jobs.id = picked.id
    RETURNING jobs.*
    """
).columns(**{column.name: column.type for column in Job.__table__.columns})


async def claim_jobs(
    connection: AsyncConnection,
    worker_id: str,
    free_slots: Mapping[str, int],
    capacity: int,
    lease_seconds: float,
) -> list[Job]:
    """Take up to ``capacity`` of the oldest runnable jobs, at most ``free_slots[type]``
    of each type, oldest first; the jobs come back detached, as their handlers see them."""
    if capacity <= 0 or not free_slots:
        return []
    rows = await connection.execute(
        CLAIM,
        {
            "job_types": list(free_slots),
            "slots": list(free_slots.values()),
            "capacity": capacity,
            "worker_id": worker_id,
            "lease_seconds": lease_seconds,
        },
    )
    jobs = [Job(**row._mapping) for row in rows]
    jobs.sort(key=lambda job: (job.run_after, job.created_at))
    return jobs
