"""Run one claimed job and write its outcome in the same transaction as its rows."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.errors import MediaAnalysisError
from media_analysis.jobs import queue
from media_analysis.jobs.events import LeaseLost
from media_analysis.jobs.queue import Lease
from media_analysis.jobs.registry import Handler, JobContext
from media_analysis.logs import job_id_var

logger = logging.getLogger(__name__)

StopReason = Callable[[], str | None]


async def run_claimed_job(
    handler: Handler,
    context: JobContext,
    lease: Lease,
    stop_reason: StopReason,
) -> None:
    token = job_id_var.set(str(lease.job_id))
    try:
        await _run(handler, context, lease, stop_reason)
    except Exception:
        logger.exception("could not record the outcome of job %s", lease.job_id)
    finally:
        job_id_var.reset(token)


async def _run(
    handler: Handler, context: JobContext, lease: Lease, stop_reason: StopReason
) -> None:
    try:
        result = await handler(context)
    except asyncio.CancelledError:
        await _stopped(context, lease, stop_reason())
        if stop_reason() is None:
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
    await _completed(context, lease, result)


async def _completed(context: JobContext, lease: Lease, result: dict[str, object]) -> None:
    async with context.session_factory() as session:
        session.add_all(context.staged)
        await session.flush()
        progress = {"stage": "done", "percent": 100}
        if await queue.complete_job(session, lease, result, progress, context.job_updates):
            await session.commit()
            return
        await session.rollback()
    logger.warning("job %s finished after its lease was lost; result discarded", lease.job_id)


async def _failed(context: JobContext, lease: Lease, exc: MediaAnalysisError) -> None:
    """Domain errors describe the input or an exhausted provider chain: retrying won't help."""
    async with context.session_factory() as session:
        if await queue.fail_job(session, lease, exc.code, exc.detail, exc.extra):
            await _run_cleanups(context, session)
            await session.commit()
    _remove_files(context)


async def _retry(context: JobContext, lease: Lease, exc: Exception) -> None:
    message = "an internal error occurred"
    async with context.session_factory() as session:
        outcome = await queue.retry_or_fail(
            session, lease, "internal_error", message, "retries_exhausted"
        )
        if outcome == "failed":
            await _run_cleanups(context, session)
        await session.commit()
    if outcome == "failed":
        _remove_files(context)


async def _stopped(context: JobContext, lease: Lease, reason: str | None) -> None:
    async with context.session_factory() as session:
        if reason == "cancel" and await queue.cancel_running_job(session, lease):
            await _run_cleanups(context, session)
        elif reason in ("shutdown", None):
            await queue.release_job(session, lease)
        await session.commit()
    if reason == "cancel":
        _remove_files(context)


async def _run_cleanups(context: JobContext, session: AsyncSession) -> None:
    for cleanup in context.failure_cleanups:
        await cleanup(session)


def _remove_files(context: JobContext) -> None:
    for path in context.cleanup_paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
