"""HTTP throughput of the real service next to a bare FastAPI app, measured with wrk.

Starts each server as its own process on loopback (one at a time, same uvicorn
settings, single process), warms it up, then runs ``wrk -t2 -c64 -d10s --latency``
against ``GET /health`` of the bare app, ``GET /health`` of the service and the
authenticated ``GET /api/media/config`` of the service, and prints requests/s, p99
latency and each figure's ratio to the bare app. It reports; it never asserts.

    .venv/bin/python bench/http.py [--duration 10] [--connections 64] [--json]

Note: this file is run as a script from bench/, where its own name shadows the
standard library's ``http`` package, so it must not import anything that needs it
(urllib.request, httpx, ...); the readiness probe below speaks raw HTTP on a socket.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
API_KEY = "bench-key-0123456789abcdef"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "media_analysis_bench"
WARMUP_SECONDS = 2
# The service runs uvicorn.run(..., proxy_headers=True, forwarded_allow_ips="127.0.0.1,::1",
# access_log=False, timeout_graceful_shutdown=30) with the default loop and http
# implementations ("auto": uvloop and httptools); the bare app gets the same.
BARE_UVICORN_OPTIONS = [
    "--loop=auto",
    "--http=auto",
    "--proxy-headers",
    "--forwarded-allow-ips=127.0.0.1,::1",
    "--no-access-log",
    "--log-level=warning",
    "--timeout-graceful-shutdown=30",
]


@dataclass
class Result:
    target: str
    url: str
    requests_per_s: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    ratio_vs_bare: float = 1.0


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing; installing it with apt-get", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install, env=env, check=False).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
            subprocess.run(install, env=env, check=False)
        found = shutil.which("wrk")
        if found:
            return found
    sys.exit("bench/http.py needs wrk: install it (e.g. `sudo apt-get install wrk`) and rerun")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def health_status(port: int) -> int | None:
    """The status code of GET /health, or None while nothing answers."""
    try:
        with socket.create_connection((HOST, port), timeout=2) as sock:
            sock.sendall(
                f"GET /health HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
            )
            head = sock.recv(64).decode("latin-1")
    except OSError:
        return None
    match = re.match(r"HTTP/1\.[01] (\d{3})", head)
    return int(match.group(1)) if match else None


@contextmanager
def server(name: str, cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> Iterator[int]:
    """Run one server process, yield its port once GET /health answers 200, then stop it."""
    port = free_port()
    cmd = [arg.replace("{port}", str(port)) for arg in cmd]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while health_status(port) != 200:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} did not become healthy on port {port}:\n{tail}")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(wrk: str, url: str, seconds: int, connections: int, headers: list[str]) -> str:
    threads = min(2, connections)
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout=5s"]
    for header in headers:
        cmd += ["-H", header]
    done = subprocess.run([*cmd, url], capture_output=True, text=True, check=True)
    return done.stdout


def measure(
    wrk: str, target: str, url: str, args: argparse.Namespace, headers: list[str]
) -> Result:
    run_wrk(wrk, url, WARMUP_SECONDS, args.connections, headers)
    out = run_wrk(wrk, url, args.duration, args.connections, headers)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE)
    if not rps or not p99:
        raise RuntimeError(f"could not parse wrk output for {url}:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result = Result(
        target=target,
        url=url,
        requests_per_s=float(rps.group(1)),
        p99_ms=to_ms(p99.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )
    print(
        f"  {target}: {result.requests_per_s:.0f} req/s, p99 {result.p99_ms:.1f} ms",
        file=sys.stderr,
    )
    return result


def psql(sql: str) -> bool:
    if not shutil.which("psql"):
        return False
    cmd = ["psql", PG_ADMIN_URL, "-v", "ON_ERROR_STOP=1", "-qc", sql]
    return subprocess.run(cmd, capture_output=True, check=False).returncode == 0


@contextmanager
def bench_database() -> Iterator[str | None]:
    """A fresh database on the local PostgreSQL, or None (the service then embeds its own)."""
    drop = f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"
    if not (psql(drop) and psql(f"CREATE DATABASE {BENCH_DB}")):
        print("no local PostgreSQL on 127.0.0.1:5432; using the embedded one", file=sys.stderr)
        yield None
        return
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"
    finally:
        psql(drop)


def run(args: argparse.Namespace) -> list[Result]:
    wrk = ensure_wrk()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_ANALYSIS_")}
    base_env.pop("DATABASE_URL", None)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="media-bench-") as tmp, bench_database() as db_url:
        work = Path(tmp)
        bare_cmd = [PYTHON, "-m", "uvicorn", "bench.bare_app:app", f"--host={HOST}"]
        bare_cmd += ["--port={port}", *BARE_UVICORN_OPTIONS]
        with server("bare app", bare_cmd, base_env, ROOT, work / "bare.log") as port:
            results.append(
                measure(wrk, "bare FastAPI /health", f"http://{HOST}:{port}/health", args, [])
            )

        env = {
            **base_env,
            "MEDIA_ANALYSIS_API_KEY": API_KEY,
            "MEDIA_ANALYSIS_LOG_LEVEL": "warning",
            "MEDIA_ANALYSIS_UPLOAD_DIR": str(work / "uploads"),
            "MEDIA_ANALYSIS_OUTPUT_DIR": str(work / "outputs"),
            "MEDIA_ANALYSIS_DATA_DIR": str(work / "data"),
        }
        if db_url:
            env["DATABASE_URL"] = db_url
        service_cmd = [PYTHON, "-m", "media_analysis.cli", "serve", f"--host={HOST}"]
        service_cmd += ["--port={port}", "--workers=0"]
        # cwd is the temp dir so no developer .env file changes the measured configuration.
        with server("service", service_cmd, env, work, work / "service.log") as port:
            base = f"http://{HOST}:{port}"
            results.append(measure(wrk, "service /health", f"{base}/health", args, []))
            auth = [f"X-API-Key: {API_KEY}"]
            results.append(
                measure(wrk, "service /api/media/config", f"{base}/api/media/config", args, auth)
            )
    bare = results[0].requests_per_s
    for result in results:
        result.ratio_vs_bare = result.requests_per_s / bare if bare else 0.0
    return results


def print_table(results: list[Result], args: argparse.Namespace) -> None:
    print(f"wrk -t2 -c{args.connections} -d{args.duration}s --latency, {os.cpu_count()} CPUs")
    print(f"{'target':<30} {'req/s':>8} {'p99 ms':>9}   ratio vs bare")
    for r in results:
        line = f"{r.target:<30} {r.requests_per_s:>8.0f} {r.p99_ms:>9.1f}   {r.ratio_vs_bare:.2f}"
        if r.non_2xx or r.socket_errors:
            line += f"   ({r.non_2xx} non-2xx, {r.socket_errors} socket errors)"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per target (10)")
    parser.add_argument("--connections", type=int, default=64, help="keep-alive clients (64)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    results = run(args)
    if args.json:
        settings = {"duration_s": args.duration, "connections": args.connections}
        print(json.dumps({**settings, "results": [asdict(r) for r in results]}, indent=2))
    else:
        print_table(results, args)


if __name__ == "__main__":
    main()
