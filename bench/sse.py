"""SSE fan-out: N clients following one running extract-frames job on one `serve` process.

For each N (default 200, 1000, 2000) a client process (bench/sse_clients.py, plain
asyncio sockets) opens N streams on a pending job of `media-analysis serve --workers 0`;
then a `media-analysis worker` process starts and runs the job. Reported per N:

* the spread between the first client and each client receiving the same event id
  (p50 / p95 / max over every event and client), and whether every client saw every
  event in order;
* the serve process's SQL statements per event (media_analysis_db_statements_total on
  /metrics, less the scrapes' own queries) while the job runs;
* for one N (1000), statements per second while the N streams sit idle on the job.

The same clients then measure a bare asyncio server writing events to N sockets in a
loop (bench/sse_bare.py) while ffmpeg extracts the same frames beside it, as the job's
ffmpeg does beside the service: the fan-out floor of one Python process on this machine
under the same load. The service's p95 is printed as a ratio to it, with the CPU time
the serve process spent per event. Figures only, no pass/fail.

    .venv/bin/python bench/sse.py [--clients 200,1000,2000] [--idle-clients 1000] [--json]
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import httpx
import psutil

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
HOST = "127.0.0.1"
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "media_analysis_bench_sse"
IDLE_SECONDS = 10.0
SETTLE_SECONDS = 2.5  # the serve process records the new clients' sessions every 2 s
STATEMENTS = "media_analysis_db_statements_total"


@dataclass
class Spread:
    p50_ms: float
    p95_ms: float
    max_ms: float
    events: int
    clients_complete: int


@dataclass
class ServiceRun:
    spread: Spread
    statements_per_event: float
    cpu_ms_per_event: float  # of the serve process, while the job ran
    idle_statements_per_s: float | None


@dataclass
class Row:
    clients: int
    service: ServiceRun
    bare: Spread


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def process(cmd: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[str]]:
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=log.parent, stdout=out, stderr=out, text=True)
    try:
        yield proc
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
        proc.kill()  # only if it is still there


def wait_until_live(base_url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the service at {base_url} did not come up")


@contextlib.contextmanager
def bench_database() -> Iterator[str]:
    def admin(sql: str) -> None:
        subprocess.run(["psql", PG_ADMIN_DSN, "-qc", sql], check=True, capture_output=True)

    admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    admin(f"CREATE DATABASE {BENCH_DB}")
    try:
        yield PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{BENCH_DB}"
    finally:
        admin(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def ffmpeg() -> str:
    from media_analysis.media.binaries import ffmpeg_path

    return ffmpeg_path()


def make_video(path: Path) -> Path:
    subprocess.run(
        [
            ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "120",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def statements(base_url: str) -> float:
    for line in httpx.get(f"{base_url}/metrics", timeout=30).text.splitlines():
        if line.startswith(STATEMENTS + " "):
            return float(line.split()[1])
    raise RuntimeError(f"{STATEMENTS} is missing from /metrics")


def spread(arrivals: list[dict[str, float]]) -> Spread:
    ids = sorted({event_id for client in arrivals for event_id in client}, key=int)
    spreads = []
    for event_id in ids:
        times = [client[event_id] for client in arrivals if event_id in client]
        first = min(times)
        spreads += [(t - first) * 1000 for t in times]
    complete = sum(1 for client in arrivals if list(client) == ids)
    quantiles = statistics.quantiles(spreads, n=100) if len(spreads) > 1 else [0.0] * 99
    return Spread(quantiles[49], quantiles[94], max(spreads, default=0.0), len(ids), complete)


class Clients:
    """The client process: N streams on ``url``; ``ready`` once they are all open."""

    def __init__(self, port: int, path: str, count: int) -> None:
        cmd = [PYTHON, str(BENCH / "sse_clients.py"), HOST, str(port), path, str(count)]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)

    def ready(self) -> None:
        line = self._proc.stdout.readline() if self._proc.stdout else ""
        if not line.startswith("ready"):
            raise RuntimeError(f"the clients did not connect: {line!r}")

    def result(self) -> Spread:
        out, _ = self._proc.communicate(timeout=300)
        return spread(json.loads(out))


def submit(base_url: str, video: Path) -> str:
    with video.open("rb") as file:
        response = httpx.post(
            f"{base_url}/api/media/video/extract-frames",
            files={"file": ("bench.mp4", file, "video/mp4")},
            data={"fps": "30"},
            timeout=60,
        )
    response.raise_for_status()
    return str(response.json()["id"])


def cpu_seconds(server: psutil.Process) -> float:
    times = server.cpu_times()
    return float(times.user + times.system)


def measure_service(
    base_url: str,
    server: psutil.Process,
    count: int,
    video: Path,
    run_worker: contextlib.AbstractContextManager[object],
    idle: bool,
) -> ServiceRun:
    port = int(base_url.rsplit(":", 1)[1])
    job_id = submit(base_url, video)
    clients = Clients(port, f"/api/media/jobs/{job_id}/events", count)
    clients.ready()
    time.sleep(SETTLE_SECONDS)
    first_scrape = statements(base_url)
    scrape = statements(base_url) - first_scrape  # what one scrape itself queries
    idle_rate = None
    if idle:
        before = statements(base_url)
        time.sleep(IDLE_SECONDS)
        idle_rate = (statements(base_url) - before - scrape) / IDLE_SECONDS
    before, cpu_before = statements(base_url), cpu_seconds(server)
    with run_worker:
        result = clients.result()
    cpu = cpu_seconds(server) - cpu_before
    used = statements(base_url) - before - scrape
    events = max(result.events, 1)
    return ServiceRun(result, used / events, cpu * 1000 / events, idle_rate)


def measure_bare(count: int, video: Path, work: Path) -> Spread:
    port = free_port()
    cmd = [PYTHON, str(BENCH / "sse_bare.py"), str(port), str(count)]
    frames = work / f"bare-frames-{count}"
    frames.mkdir()
    extract = [ffmpeg(), "-nostdin", "-loglevel", "error", "-i", str(video), "-vf", "fps=30"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as server:
        assert server.stdout is not None
        server.stdout.readline()
        clients = Clients(port, "/", count)
        clients.ready()
        with subprocess.Popen([*extract, str(frames / "%05d.jpg")]) as load:
            result = clients.result()
            load.kill()
        server.wait(timeout=60)
    return result


def service_env(db_url: str, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_ANALYSIS_")}
    folders = {"UPLOAD_DIR": "uploads", "OUTPUT_DIR": "outputs", "DATA_DIR": "data"}
    env.update({f"MEDIA_ANALYSIS_{name}": str(work / folder) for name, folder in folders.items()})
    return {**env, "DATABASE_URL": db_url, "MEDIA_ANALYSIS_LOG_LEVEL": "warning"}


def run(counts: list[int], idle_clients: int) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="sse-bench-") as tmp, bench_database() as db_url:
        work = Path(tmp)
        env = service_env(db_url, work)
        video = make_video(work / "bench.mp4")
        port = free_port()
        serve = [PYTHON, "-m", "media_analysis.cli", "serve", "--host", HOST, "--port", str(port)]
        worker = [
            PYTHON,
            "-m",
            "media_analysis.cli",
            "worker",
            "--concurrency",
            "1",
            "--no-migrate",
        ]
        with process([*serve, "--workers", "0"], env, work / "serve.log") as server:
            base_url = f"http://{HOST}:{port}"
            wait_until_live(base_url, server)
            for count in counts:
                print(f"{count} clients ...", file=sys.stderr)
                run_worker = process(worker, env, work / f"worker-{count}.log")
                service = measure_service(
                    base_url,
                    psutil.Process(server.pid),
                    count,
                    video,
                    run_worker,
                    count == idle_clients,
                )
                rows.append(Row(count, service, measure_bare(count, video, work)))
    return rows


def print_table(rows: list[Row]) -> None:
    print(f"SSE fan-out, one serve process, {os.cpu_count()} CPUs; spreads in ms")
    print(
        f"{'clients':>7} {'events':>6} {'complete':>8} {'p50':>7} {'p95':>7} {'max':>7}"
        f" {'bare p95':>8} {'p95/bare':>8} {'stmts/event':>11} {'cpu ms/event':>12}"
        f" {'idle stmts/s':>12}"
    )
    for row in rows:
        run, s, b = row.service, row.service.spread, row.bare
        ratio = s.p95_ms / b.p95_ms if b.p95_ms else float("nan")
        idle = "" if run.idle_statements_per_s is None else f"{run.idle_statements_per_s:.2f}"
        print(
            f"{row.clients:>7} {s.events:>6} {s.clients_complete:>8} {s.p50_ms:>7.1f}"
            f" {s.p95_ms:>7.1f} {s.max_ms:>7.1f} {b.p95_ms:>8.1f} {ratio:>8.1f}"
            f" {run.statements_per_event:>11.2f} {run.cpu_ms_per_event:>12.1f} {idle:>12}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="200,1000,2000", help="comma-separated N")
    parser.add_argument("--idle-clients", type=int, default=1000, help="N measured idle")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run([int(n) for n in args.clients.split(",")], args.idle_clients)
    if args.json:
        print(json.dumps([asdict(row) for row in rows], indent=2))
    else:
        print_table(rows)


if __name__ == "__main__":
    main()
