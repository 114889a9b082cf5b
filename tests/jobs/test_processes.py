"""The engine across real processes: crashes, concurrency and database restarts."""

from __future__ import annotations

import asyncio
import shutil
import signal
import tempfile
import time
from collections import Counter
from pathlib import Path

from media_analysis.db import migrate
from media_analysis.db.embedded import EmbeddedPostgres
from tests.jobs.helpers import FINISHED, create_jobs, factory_for, get_job, wait_for_status
from tests.jobs.processes import run_log, start_worker, stop, worker_env


async def _wait_for_line(path: Path, word: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not any(entry[0] == word for entry in run_log(path)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no '{word}' line in {path.name}")
        await asyncio.sleep(0.1)


async def test_a_killed_workers_job_is_finished_once_by_another(
    tmp_path: Path, db_url: str
) -> None:
    factory = factory_for(db_url)
    env = worker_env(tmp_path, db_url)
    runs = tmp_path / "runs.log"
    first = start_worker(env, tmp_path / "first.log")
    second = None
    try:
        (job_id,) = await create_jobs(
            factory, "test.sleep", [{"seconds": 4, "steps": 8, "log": str(runs)}]
        )
        await _wait_for_line(runs, "start", timeout=30)
        first.send_signal(signal.SIGKILL)
        first.wait()
        second = start_worker(env, tmp_path / "second.log")
        (job,) = await wait_for_status(factory, [job_id], FINISHED, timeout=60)
    finally:
        stop(first)
        if second is not None:
            stop(second)
    assert job.status == "completed"
    assert job.attempts == 2
    entries = run_log(runs)
    starts = [pid for kind, _, pid in entries if kind == "start"]
    done = [pid for kind, _, pid in entries if kind == "done"]
    assert starts == [str(first.pid), str(second.pid)]
    assert done == [str(second.pid)]
    assert job.result is not None and job.result["pid"] == second.pid


async def test_two_workers_drain_500_jobs_each_exactly_once(tmp_path: Path, db_url: str) -> None:
    factory = factory_for(db_url)
    env = worker_env(tmp_path, db_url)
    runs = tmp_path / "runs.log"
    job_ids = await create_jobs(
        factory, "test.echo", [{"value": n, "log": str(runs)} for n in range(500)]
    )
    workers = [start_worker(env, tmp_path / f"w{n}.log", concurrency=4) for n in range(2)]
    try:
        jobs = await wait_for_status(factory, job_ids, FINISHED, timeout=180)
    finally:
        for worker in workers:
            stop(worker)
    assert {job.status for job in jobs} == {"completed"}
    assert sorted(job.result["echo"] for job in jobs if job.result) == list(range(500))
    entries = run_log(runs)
    starts = Counter(job for kind, job, _ in entries if kind == "start")
    assert len(starts) == 500 and set(starts.values()) == {1}
    assert {pid for _, _, pid in entries} == {str(worker.pid) for worker in workers}


async def test_idle_workers_recover_after_postgres_restarts(tmp_path: Path) -> None:
    # The server runs as its own system user, which cannot enter pytest's private tmp_path.
    pg_root = Path(tempfile.mkdtemp(prefix="media-analysis-restart-"))
    pg_root.chmod(0o755)
    server = EmbeddedPostgres(pg_root)
    url = await asyncio.to_thread(server.start)
    await asyncio.to_thread(migrate.upgrade, url)
    env = worker_env(tmp_path, url)
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        factory = factory_for(url)
        (before,) = await create_jobs(factory, "test.echo", [{"value": "before"}])
        await wait_for_status(factory, [before], FINISHED, timeout=30)
        await asyncio.to_thread(server.restart)
        await asyncio.sleep(2)
        assert worker.poll() is None, "the worker died with the database"
        factory = factory_for(url)
        (after,) = await create_jobs(factory, "test.echo", [{"value": "after"}])
        await wait_for_status(factory, [after], FINISHED, timeout=30)
        assert (await get_job(factory, after)).result == {"echo": "after", "pid": worker.pid}
    finally:
        stop(worker)
        await asyncio.to_thread(server.stop)
        shutil.rmtree(pg_root, ignore_errors=True)


async def test_sigterm_releases_unfinished_work_for_another_worker(
    tmp_path: Path, db_url: str
) -> None:
    factory = factory_for(db_url)
    env = worker_env(tmp_path, db_url)
    runs = tmp_path / "runs.log"
    first = start_worker(env, tmp_path / "first.log")
    second = None
    try:
        (job_id,) = await create_jobs(
            factory, "test.sleep", [{"seconds": 12, "steps": 12, "log": str(runs)}]
        )
        await _wait_for_line(runs, "start", timeout=30)
        stopped_at = time.monotonic()
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=20) == 0
        assert time.monotonic() - stopped_at < 10
        released = await get_job(factory, job_id)
        assert released.status == "pending" and released.attempts == 0
        second = start_worker(env, tmp_path / "second.log")
        (job,) = await wait_for_status(factory, [job_id], FINISHED, timeout=60)
    finally:
        stop(first)
        if second is not None:
            stop(second)
    assert job.status == "completed" and job.attempts == 1
    assert job.result is not None and job.result["pid"] == second.pid
