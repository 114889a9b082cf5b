"""One in-process worker: outcomes, events, retries, cancellation, type limits."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import psutil
from sqlalchemy import select

from media_analysis.db.models import JobEvent
from media_analysis.jobs.queue import request_cancel
from tests.jobs.conftest import JobEngine
from tests.jobs.helpers import FINISHED, create_jobs, get_job, wait_for_status


async def test_a_job_completes_with_its_result_and_ordered_events(
    job_engine: JobEngine, tmp_path: Path
) -> None:
    factory = job_engine.session_factory
    (job_id,) = await create_jobs(factory, "test.sleep", [{"seconds": 2.4, "steps": 4}])
    (job,) = await wait_for_status(factory, [job_id], FINISHED, timeout=20)
    assert job.status == "completed"
    assert job.result == {"slept": 2.4, "pid": os.getpid()}
    assert job.progress == {"stage": "done", "percent": 100}
    assert job.processing_time_ms is not None and job.processing_time_ms >= 2000
    async with factory() as session:
        query = select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.sequence)
        events = list((await session.execute(query)).scalars())
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert [e.event_type for e in events] == ["progress"] * 4 + ["completed"]
    percents = [e.data["percent"] for e in events[:-1]]
    assert percents == sorted(percents)


async def test_bad_input_fails_at_once_with_its_code(job_engine: JobEngine) -> None:
    factory = job_engine.session_factory
    (job_id,) = await create_jobs(factory, "test.bad_input", [{}])
    (job,) = await wait_for_status(factory, [job_id], FINISHED, timeout=20)
    assert job.status == "failed"
    assert job.error == {
        "code": "invalid_media",
        "message": "The file is not a video a person would recognise.",
    }
    assert job.attempts == 1


async def test_unexpected_errors_retry_then_fail_without_leaking_details(
    job_engine: JobEngine, tmp_path: Path
) -> None:
    factory = job_engine.session_factory
    log = tmp_path / "runs.log"
    (job_id,) = await create_jobs(factory, "test.crash", [{"log": str(log)}], max_attempts=2)
    (job,) = await wait_for_status(factory, [job_id], FINISHED, timeout=30)
    assert job.status == "failed"
    assert job.error is not None and job.error["code"] == "retries_exhausted"
    assert "/secret/path" not in job.error["message"]
    assert job.attempts == 2
    assert log.read_text().count("start") == 2


async def test_cancelling_a_running_job_kills_its_child_process_quickly(
    job_engine: JobEngine, tmp_path: Path
) -> None:
    factory = job_engine.session_factory
    pid_file = tmp_path / "child.pid"
    (job_id,) = await create_jobs(factory, "test.child", [{"pid_file": str(pid_file)}])
    child_pid = await _wait_for_pid(pid_file)
    assert psutil.pid_exists(child_pid)
    async with factory() as session:
        job = await get_job(factory, job_id)
        assert await request_cancel(session, job) == "cancelling"
        await session.commit()
    started = time.monotonic()
    (job,) = await wait_for_status(factory, [job_id], {"cancelled"}, timeout=5)
    assert time.monotonic() - started < 2.5
    assert not _alive(child_pid)
    assert job_id not in job_engine.worker.running


async def test_per_type_limit_runs_one_child_job_at_a_time(
    job_engine: JobEngine, tmp_path: Path
) -> None:
    factory = job_engine.session_factory
    files = [tmp_path / f"child-{n}.pid" for n in range(2)]
    job_ids = await create_jobs(factory, "test.child", [{"pid_file": str(f)} for f in files])
    await asyncio.sleep(1.5)
    statuses = sorted([(await get_job(factory, job_id)).status for job_id in job_ids])
    assert statuses == ["pending", "processing"]
    for job_id in job_ids:
        async with factory() as session:
            await request_cancel(session, await get_job(factory, job_id))
            await session.commit()
    await wait_for_status(factory, job_ids, {"cancelled"}, timeout=10)


async def _wait_for_pid(pid_file: Path) -> int:
    for _ in range(100):
        if pid_file.exists() and pid_file.read_text():
            return int(pid_file.read_text())
        await asyncio.sleep(0.1)
    raise TimeoutError("child process did not start")


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
