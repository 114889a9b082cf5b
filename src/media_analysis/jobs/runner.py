"""Run one claimed job and write its outcome in the same transaction as its rows."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job, JobStatus
from media_analysis.errors import MediaAnalysisError
from media_analysis.jobs import queue
from media_analysis.jobs.completions import CompletionWriter
from media_analysis.jobs.events import LeaseLost
from media_analysis.jobs.file_deletions import record_removals, sweep_after_commit
from media_analysis.jobs.queue import Lease
from media_analysis.jobs.registry import Handler, JobContext
from media_analysis.logs import job_id_var

logger = logging.getLogger(__name__)

ENDED_WITHOUT_RESULT = (JobStatus.FAILED, JobStatus.CANCELLED)


class JobRun:
    """A claimed job: its handler runs in a task of its own, its outcome in ``task``.

    ``stop`` cancels only the handler. The outcome is written by ``task``, which a stop
    never interrupts: a cancel that arrives while the outcome is being written cannot
    leave the job half-finished, to be reclaimed and run again when its lease expires.
    """

    def __init__(
        self,
        handler: Handler,
        context: JobContext,
        lease: Lease,
        completions: CompletionWriter,
    ) -> None:
        self.context = context
        self.lease = lease
        self.completions = completions
        self.stop_reason: str | None = None
        logging_context = contextvars.copy_context()
        logging_context.run(job_id_var.set, str(lease.job_id))
        self._handling: asyncio.Task[dict[str, Any]] = asyncio.create_task(
            _call(handler, context), name=f"job-{lease.job_id}", context=logging_context.copy()
        )
        self.task = asyncio.create_task(self._run(), context=logging_context)

    @property
    def job(self) -> Job:
        return self.context.job

    def stop(self, reason: str) -> None:
        """Cancel the handler: ``cancel`` (asked by a user), ``shutdown`` or ``lost``."""
        if self.stop_reason is None:
            self.stop_reason = reason
            self._handling.cancel()

    async def _run(self) -> None:
        try:
            await self._handle()
        except Exception:
            logger.exception("could not record the outcome of job %s", self.lease.job_id)

    async def _handle(self) -> None:
        context, lease = self.context, self.lease
        try:
            result = await self._handling
        except asyncio.CancelledError:
            await _stopped(context, lease, self.stop_reason)
            if self.stop_reason is None:
                raise
            return
        except LeaseLost:
            logger.warning("job %s was taken away from this worker", lease.job_id)
            return
        except MediaAnalysisError as exc:
            await _failed(context, lease, exc)
            return
        except Exception as exc:
            logger.exception("job %s failed unexpectedly", lease.job_id)
            await _retry(context, lease, exc)
            return
        await self._completed(result)

    async def _completed(self, result: dict[str, Any]) -> None:
        """Without rows to add, the job is completed together with the worker's others."""
        context, lease = self.context, self.lease
        if context.staged or context.job_updates:
            completed = await _completed_with_rows(context, lease, result)
        else:
            completed = await self.completions.complete(lease.job_id, result)
        if not completed:
            # A cancel was requested before the result could be recorded, or the job
            # is no longer ours: the cancel wins, or the job is left to its new holder.
            await _stopped(context, lease, "cancel")


async def _call(handler: Handler, context: JobContext) -> dict[str, Any]:
    return await handler(context)


async def _completed_with_rows(context: JobContext, lease: Lease, result: dict[str, Any]) -> bool:
    async with context.session_factory() as session:
        if context.job_updates:
            await queue.update_held_job(session, lease, context.job_updates)
        if not await queue.complete_jobs(session, lease.worker_id, {lease.job_id: result}):
            return False
        session.add_all(context.staged)
        await session.commit()
    return True


async def _failed(context: JobContext, lease: Lease, exc: MediaAnalysisError) -> None:
    """Domain errors describe the input or an exhausted provider chain: retrying won't help."""
    async with context.session_factory() as session:
        outcome = await queue.fail_job(session, lease, exc.code, exc.detail, exc.extra)
        await _commit(context, session, outcome)


async def _retry(context: JobContext, lease: Lease, exc: Exception) -> None:
    message = "an internal error occurred"
    async with context.session_factory() as session:
        outcome = await queue.retry_or_fail(
            session, lease, "internal_error", message, "retries_exhausted"
        )
        await _commit(context, session, outcome)


async def _stopped(context: JobContext, lease: Lease, reason: str | None) -> None:
    async with context.session_factory() as session:
        outcome = None
        if reason == "cancel":
            outcome = await queue.cancel_running_job(session, lease)
            if outcome is None:
                logger.warning("job %s is no longer held by this worker", lease.job_id)
        elif reason in ("shutdown", None):
            outcome = await queue.release_job(session, lease)
        await _commit(context, session, outcome)


async def _commit(context: JobContext, session: AsyncSession, outcome: JobStatus | None) -> None:
    """Commit the outcome; a job that ended without a result leaves no rows or files.

    Its files are recorded for deletion with the outcome and removed after the commit.
    """
    removals: list[str] = []
    if outcome in ENDED_WITHOUT_RESULT:
        for cleanup in context.failure_cleanups:
            await cleanup(session)
        removals = context.cleanup_locations
        await record_removals(session, removals)
    await session.commit()
    if removals:
        await sweep_after_commit(session, context.storage, removals)
