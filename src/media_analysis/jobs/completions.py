"""Completing a worker's jobs together: one statement for all that finished meanwhile.

The first result is written at once; those that arrive while a write is under way
go in the next one. So a busy worker pays one round trip for many completions, and
an idle one adds no delay to a single completion.
"""

from __future__ import annotations

import asyncio
import contextvars
import uuid
from dataclasses import dataclass
from typing import Any

from media_analysis.jobs.connection import WorkerConnection
from media_analysis.jobs.queue import complete_jobs


@dataclass
class _Waiting:
    result: dict[str, Any]
    completed: asyncio.Future[bool]


class CompletionWriter:
    def __init__(self, connection: WorkerConnection, worker_id: str) -> None:
        self._connection = connection
        self._worker_id = worker_id
        self._waiting: dict[uuid.UUID, _Waiting] = {}
        self._writing: asyncio.Task[None] | None = None

    async def complete(self, job_id: uuid.UUID, result: dict[str, Any]) -> bool:
        """True once the job is completed; False when it was asked to cancel first or
        is no longer held by this worker."""
        waiting = _Waiting(result, asyncio.get_running_loop().create_future())
        self._waiting[job_id] = waiting
        if self._writing is None or self._writing.done():
            # A context of its own, so the writer's log lines don't carry the job id
            # of the job that happened to start it.
            self._writing = asyncio.create_task(self._write(), context=contextvars.Context())
        return await waiting.completed

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, {}
            results = {job_id: waiting.result for job_id, waiting in batch.items()}
            try:
                async with self._connection.use() as connection:
                    completed = await complete_jobs(connection, self._worker_id, results)
            except Exception as exc:
                for waiting in batch.values():
                    waiting.completed.set_exception(exc)
                continue
            for job_id, waiting in batch.items():
                waiting.completed.set_result(job_id in completed)
