"""Service status: jobs by status, uptime and host resources."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import JobStatus
from media_analysis.db.repositories import JobRepository, WorkerRepository


@dataclass(frozen=True)
class ThisProcess:
    """The process answering: how long it has run, and whether it runs jobs too."""

    runs_jobs: bool
    started_at: float = field(default_factory=time.time)

    @property
    def uptime_seconds(self) -> float:
        return time.time() - self.started_at


async def service_status(
    session: AsyncSession, process: ThisProcess, output_dir: Path
) -> dict[str, Any]:
    jobs = JobRepository(session)
    counts = await jobs.count_by_status()
    by_status = {status.value: counts.get(status.value, 0) for status in JobStatus}
    queue = await jobs.queue_depth()
    workers = await WorkerRepository(session).load()
    return {
        "uptime_seconds": round(process.uptime_seconds, 1),
        "jobs": by_status,
        "queue": {
            "depth": queue.pending,
            "oldest_pending_age_seconds": round(queue.oldest_pending_age_seconds, 1),
        },
        "workers": {
            "live": workers.live,
            "running_jobs": workers.running_jobs,
            "capacity": workers.capacity,
            "in_this_process": process.runs_jobs,
        },
        "system": system_resources(output_dir),
    }


def system_resources(output_dir: Path) -> dict[str, Any]:
    process = psutil.Process(os.getpid())
    memory = psutil.virtual_memory()
    output_dir.mkdir(parents=True, exist_ok=True)
    disk = psutil.disk_usage(str(output_dir))
    return {
        "cpu_percent": psutil.cpu_percent(interval=None),
        "cpu_count": psutil.cpu_count(),
        "load_average": list(os.getloadavg()),
        "memory": {
            "total_bytes": memory.total,
            "available_bytes": memory.available,
            "percent": memory.percent,
        },
        "process_rss_bytes": process.memory_info().rss,
        "disk": {"total_bytes": disk.total, "free_bytes": disk.free, "percent": disk.percent},
    }
