"""Service status: jobs by status, uptime and host resources."""

from __future__ import annotations

import os
from typing import Any

import psutil
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import JobStatus
from media_analysis.db.repositories import JobRepository, WorkerRepository
from media_analysis.runtime import Runtime


async def service_status(runtime: Runtime, session: AsyncSession) -> dict[str, Any]:
    jobs = JobRepository(session)
    counts = await jobs.count_by_status()
    by_status = {status.value: counts.get(status.value, 0) for status in JobStatus}
    queue = await jobs.queue_depth()
    workers = await WorkerRepository(session).load()
    return {
        "uptime_seconds": round(runtime.uptime_seconds, 1),
        "jobs": by_status,
        "queue": {
            "depth": queue.pending,
            "oldest_pending_age_seconds": round(queue.oldest_pending_age_seconds, 1),
        },
        "workers": {
            "live": workers.live,
            "running_jobs": workers.running_jobs,
            "capacity": workers.capacity,
            "in_this_process": runtime.worker is not None,
        },
        "system": system_resources(runtime),
    }


def system_resources(runtime: Runtime) -> dict[str, Any]:
    process = psutil.Process(os.getpid())
    memory = psutil.virtual_memory()
    runtime.settings.output_dir.mkdir(parents=True, exist_ok=True)
    disk = psutil.disk_usage(str(runtime.settings.output_dir))
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
