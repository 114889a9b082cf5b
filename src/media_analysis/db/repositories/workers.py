"""Worker heartbeats: which workers are alive, for status and metrics."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert

from media_analysis.db.models import WorkerHeartbeat
from media_analysis.db.repositories.base import Repository

LIVE_WITHIN = timedelta(seconds=45)
"""A worker whose last heartbeat is older than this is taken for dead."""
FORGET_AFTER = LIVE_WITHIN * 20


@dataclass(frozen=True)
class WorkerLoad:
    """What the live workers can run and are running."""

    live: int
    running_jobs: int
    capacity: int


class WorkerRepository(Repository):
    async def record(self, worker_id: str, concurrency: int, running_jobs: int) -> None:
        """This worker is alive; workers silent for long are forgotten."""
        statement = insert(WorkerHeartbeat).values(
            id=worker_id,
            hostname=socket.gethostname(),
            pid=os.getpid(),
            concurrency=concurrency,
            running_jobs=running_jobs,
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["id"],
                set_={"last_heartbeat_at": func.now(), "running_jobs": running_jobs},
            )
        )
        await self.session.execute(
            delete(WorkerHeartbeat).where(
                WorkerHeartbeat.last_heartbeat_at < func.now() - FORGET_AFTER
            )
        )

    async def forget(self, worker_id: str) -> None:
        await self.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.id == worker_id))

    async def load(self) -> WorkerLoad:
        query = select(
            func.count(),
            func.coalesce(func.sum(WorkerHeartbeat.running_jobs), 0),
            func.coalesce(func.sum(WorkerHeartbeat.concurrency), 0),
        ).where(WorkerHeartbeat.last_heartbeat_at >= func.now() - LIVE_WITHIN)
        live, running, capacity = (await self.session.execute(query)).one()
        return WorkerLoad(int(live), int(running), int(capacity))
