"""Service status: jobs by status, uptime and host resources."""

from __future__ import annotations

import os
from typing import Any

import psutil
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import JobStatus
from media_analysis.db.repositories import JobRepository
from media_analysis.jobs.heartbeats import live_workers
from media_analysis.metrics.database import QUEUE_SQL
from media_analysis.runtime import Runtime


async def service_status(runtime: Runtime, session: AsyncSession) -> dict[str, Any]:
    counts = await JobRepository(session).count_by_status()
    by_status = {status.value: counts.get(status.value, 0) for status in JobStatus}
    depth, oldest = (await session.execute(text(QUEUE_SQL))).one()
    workers = await live_workers(session)
    return {
        "uptime_seconds": round(runtime.uptime_seconds, 1),
        "jobs": by_status,
        "queue": {"depth": int(depth), "oldest_pending_age_seconds": round(float(oldest), 1)},
        "workers": {
            "live": len(workers),
            "running_jobs": sum(worker.running_jobs for worker in workers),
            "capacity": sum(worker.concurrency for worker in workers),
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
