"""Job queue and submission throughput, each next to a plain baseline measured in the same run.

(a) No-op jobs drained by 2 standalone ``media-analysis worker`` processes, next to 2
    processes running a bare ``FOR UPDATE SKIP LOCKED`` claim + complete loop on the same
    table. Both rates come from the database's own clocks: jobs / (last completed_at -
    first started_at), so process start-up and wake-up latency count for neither.
(b) ``POST /api/media/audio/transcribe`` with a JSON body against ``serve --workers 0``,
    next to ``GET /health`` of the same process, with ``wrk -t2 -c64``.

    .venv/bin/python bench/queue.py [--jobs 3000] [--concurrency 16] [--duration 5]
                                    [--only queue|submissions] [--json]

Needs a PostgreSQL on 127.0.0.1:5432 with trust auth (``--server`` to point elsewhere),
where it creates and drops the database ``media_analysis_bench_queue``, and ``wrk`` for
(b) (installed with apt-get when missing and running as root). It reports; it never
asserts. Run as a script from bench/, where this file's name shadows the standard
library's ``queue``: bench/ is taken off ``sys.path`` before anything else is imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass

import asyncpg
import httpx
import psutil

from media_analysis.db import migrate

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "media_analysis_bench_queue"
HOST = "127.0.0.1"
CLI = [sys.executable, "-m", "media_analysis.cli"]
WORKERS = 2

NOOP_HANDLERS = """
async def noop(context):
    return {}


def register(registry):
    registry.register("bench.noop", noop)
"""

# One process of the baseline: argv = [dsn]; claims and completes until nothing is left.
BARE_LOOP = """
import asyncio, sys, asyncpg

CLAIM = '''
UPDATE jobs SET status = 'processing', worker_id = 'bare', attempts = attempts + 1,
       started_at = now(), lease_expires_at = now() + interval '30 seconds'
WHERE id = (SELECT id FROM jobs WHERE status = 'pending' AND job_type = 'bench.bare'
            ORDER BY run_after, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id'''
COMPLETE = "UPDATE jobs SET status = 'completed', completed_at = now(), result = '{}' WHERE id = $1"

async def main(dsn):
    connection = await asyncpg.connect(dsn)
    while (job_id := await connection.fetchval(CLAIM)) is not None:
        await connection.execute(COMPLETE, job_id)

asyncio.run(main(sys.argv[1]))
"""

WRK_POST = """
wrk.method = "POST"
wrk.body = '{"audio_url": "https://media.example.com/talk.mp3", "language": "en"}'
wrk.headers["Content-Type"] = "application/json"
"""


@dataclass
class Rate:
    measure: str
    per_second: float
    baseline: str
    baseline_per_second: float

    @property
    def ratio(self) -> float:
        return self.per_second / self.baseline_per_second if self.baseline_per_second else 0.0


# --- the database -------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def bench_database(server: str) -> AsyncIterator[str]:
    admin = await asyncpg.connect(server, timeout=5)
    drop = f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"
    try:
        await admin.execute(drop)
        await admin.execute(f"CREATE DATABASE {DATABASE}")
        dsn = server.rsplit("/", 1)[0] + f"/{DATABASE}"
        await asyncio.to_thread(
            migrate.upgrade, dsn.replace("postgresql://", "postgresql+asyncpg://")
        )
        yield dsn
    finally:
        await admin.execute(drop)
        await admin.close()


async def add_jobs(dsn: str, job_type: str, count: int) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            await connection.execute(
                "INSERT INTO jobs (id, job_type, status) "
                "SELECT gen_random_uuid(), $1, 'pending' FROM generate_series(1, $2)",
                job_type,
                count,
            )
            await connection.execute("SELECT pg_notify('media_analysis_jobs', $1)", job_type)
    finally:
        await connection.close()


async def drained_rate(dsn: str, job_type: str, count: int, timeout: float) -> float:
    """Wait until ``count`` jobs of ``job_type`` completed; jobs per second between the
    first start and the last completion."""
    connection = await asyncpg.connect(dsn)
    query = (
        "SELECT count(*), extract(epoch FROM max(completed_at) - min(started_at)) "
        "FROM jobs WHERE job_type = $1 AND status = 'completed'"
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            done, seconds = await connection.fetchrow(query, job_type)
            if done >= count:
                return count / float(seconds)
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {done} of {count} {job_type} jobs completed")
            await asyncio.sleep(0.05)
    finally:
        await connection.close()


async def live_workers(dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval("SELECT count(*) FROM workers"))
    finally:
        await connection.close()


# --- (a) the queue ------------------------------------------------------------------------


async def bare_loop_rate(dsn: str, jobs: int) -> float:
    await add_jobs(dsn, "bench.bare", jobs)
    loops = [
        await asyncio.create_subprocess_exec(sys.executable, "-c", BARE_LOOP, dsn)
        for _ in range(WORKERS)
    ]
    for loop in loops:
        await loop.wait()
    return await drained_rate(dsn, "bench.bare", jobs, timeout=10)


async def engine_rate(dsn: str, jobs: int, concurrency: int, work: Path) -> float:
    (work / "bench_noop_handlers.py").write_text(NOOP_HANDLERS)
    env = service_env(dsn, work, MEDIA_ANALYSIS_HANDLER_MODULES="bench_noop_handlers")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(work), env.get("PYTHONPATH")]))
    command = [*CLI, "worker", "--no-migrate", "--concurrency", str(concurrency)]
    with contextlib.ExitStack() as stack:
        for n in range(WORKERS):
            stack.enter_context(running(command, env, work, work / f"worker-{n}.log"))
        deadline = time.monotonic() + 60
        while await live_workers(dsn) < WORKERS:
            if time.monotonic() > deadline:
                raise TimeoutError("the workers did not start; see worker-*.log")
            await asyncio.sleep(0.2)
        await add_jobs(dsn, "bench.noop", jobs)
        return await drained_rate(dsn, "bench.noop", jobs, timeout=300)


# --- (b) submissions ----------------------------------------------------------------------


def find_wrk() -> str | None:
    if not shutil.which("wrk") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing; installing it with apt-get", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=False)
    return shutil.which("wrk")


@dataclass
class Load:
    per_second: float
    cpu_ms_per_request: float
    """The server's own CPU time per request: less at the mercy of a busy machine."""


def wrk_load(wrk: str, url: str, seconds: int, script: Path | None, server: int) -> Load:
    command = [wrk, "-t2", "-c64", f"-d{seconds}s", "--timeout=5s", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    process = psutil.Process(server)
    before = sum(process.cpu_times()[:2])
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu_seconds = sum(process.cpu_times()[:2]) - before
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if failed:
        print(f"  {url}: {failed.group(1)} responses were not 2xx", file=sys.stderr)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    if rate is None or requests is None:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    return Load(float(rate.group(1)), 1000 * cpu_seconds / max(int(requests.group(1)), 1))


def submission_rates(wrk: str, dsn: str, seconds: int, work: Path) -> list[Rate]:
    script = work / "transcribe.lua"
    script.write_text(WRK_POST)
    port = free_port()
    command = [*CLI, "serve", "--host", HOST, "--port", str(port), "--workers", "0"]
    env = service_env(dsn, work)
    with running(command, env, work, work / "serve.log") as server:
        base = f"http://{HOST}:{port}"
        wait_until_healthy(base)
        submit, health = f"{base}/api/media/audio/transcribe", f"{base}/health"
        wrk_load(wrk, submit, 2, script, server)  # warm-up
        submissions = wrk_load(wrk, submit, seconds, script, server)
        wrk_load(wrk, health, 2, None, server)
        plain = wrk_load(wrk, health, seconds, None, server)
    return [
        Rate(
            "POST /audio/transcribe req/s", submissions.per_second, "GET /health", plain.per_second
        ),
        # Inverted, so that the ratio reads like the others: higher is better.
        Rate(
            "  same, per server CPU second",
            1000 / submissions.cpu_ms_per_request,
            "GET /health",
            1000 / plain.cpu_ms_per_request,
        ),
    ]


# --- processes ----------------------------------------------------------------------------


def service_env(dsn: str, work: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_ANALYSIS_")}
    env.update(
        DATABASE_URL=dsn,
        MEDIA_ANALYSIS_LOG_LEVEL="warning",
        MEDIA_ANALYSIS_UPLOAD_DIR=str(work / "uploads"),
        MEDIA_ANALYSIS_OUTPUT_DIR=str(work / "outputs"),
        MEDIA_ANALYSIS_DATA_DIR=str(work / "data"),
        **extra,
    )
    return env


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> Iterator[int]:
    """Run a process, yield its pid, stop it."""
    # cwd is the temp dir so no developer .env file changes the measured configuration.
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=out)
    try:
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError("serve did not answer /health; see serve.log")


# --- the report ---------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> list[Rate]:
    wrk = find_wrk() if args.only != "queue" else None
    rates: list[Rate] = []
    with tempfile.TemporaryDirectory(prefix="media-bench-queue-") as tmp:
        async with bench_database(args.server) as dsn:
            if args.only in (None, "queue"):
                bare = await bare_loop_rate(dsn, args.jobs)
                engine = await engine_rate(dsn, args.jobs, args.concurrency, Path(tmp))
                rates.append(Rate("no-op jobs/s, 2 workers", engine, "bare SKIP LOCKED loop", bare))
            if args.only in (None, "submissions"):
                if wrk is None:
                    print("wrk is missing (apt-get install -y wrk): submissions not measured")
                else:
                    rates.extend(submission_rates(wrk, dsn, args.duration, Path(tmp)))
    return rates


def machine() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load} after the run"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=3000, help="jobs per queue run (3000)")
    parser.add_argument("--concurrency", type=int, default=16, help="per worker (16)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (5)")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only", choices=["queue", "submissions"], help="measure one part")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    rates = asyncio.run(run(args))
    if args.json:
        rows = [{**asdict(rate), "ratio": rate.ratio} for rate in rates]
        print(json.dumps({"machine": machine(), "results": rows}, indent=2))
        return
    print(f"{args.jobs} jobs per queue run, worker concurrency {args.concurrency}; {machine()}")
    print(f"{'measure':<30} {'rate':>8}   {'baseline':<24} {'rate':>8}   ratio")
    for r in rates:
        print(
            f"{r.measure:<30} {r.per_second:>8.0f}   {r.baseline:<24}"
            f" {r.baseline_per_second:>8.0f}   {r.ratio:.2f}"
        )


if __name__ == "__main__":
    main()
