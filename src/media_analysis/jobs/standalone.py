"""A worker process without the HTTP API: runs until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal

from media_analysis.config import Settings
from media_analysis.runtime import Runtime

logger = logging.getLogger(__name__)


async def run_worker(settings: Settings, database_url: str, concurrency: int) -> None:
    runtime = Runtime.open(settings, database_url)
    runtime.start_background()
    worker = runtime.start_worker(concurrency)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    logger.info("worker %s running %d jobs at a time", worker.worker_id, concurrency)
    await stop.wait()
    logger.info("stopping: no new jobs; waiting up to %.0fs", settings.shutdown_grace_seconds)
    await runtime.close()
