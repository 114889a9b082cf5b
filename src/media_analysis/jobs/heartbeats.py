"""Worker heartbeats: which workers are alive, for status and metrics."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import WorkerHeartbeat

LIVE_WITHIN = timedelta(seconds=45)


async def record_worker(
    session: AsyncSession, worker_id: str, concurrency: int, running_jobs: int
) -> None:
    statement = insert(WorkerHeartbeat).values(
        id=worker_id,
        hostname=socket.gethostname(),
        pid=os.getpid(),
        concurrency=concurrency,
        running_jobs=running_jobs,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["id"],
            set_={"last_heartbeat_at": func.now(), "running_jobs": running_jobs},
        )
    )
    await session.execute(
        delete(WorkerHeartbeat).where(
            WorkerHeartbeat.last_heartbeat_at < func.now() - LIVE_WITHIN * 20
        )
    )


async def forget_worker(session: AsyncSession, worker_id: str) -> None:
    await session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.id == worker_id))


async def live_workers(session: AsyncSession) -> list[WorkerHeartbeat]:
    query = select(WorkerHeartbeat).where(
        WorkerHeartbeat.last_heartbeat_at >= func.now() - LIVE_WITHIN
    )
    return list((await session.execute(query)).scalars())
