"""Real worker processes for the engine's crash and concurrency tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO_ROOT


def worker_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_ANALYSIS_")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "MEDIA_ANALYSIS_HANDLER_MODULES": "tests.jobs.handlers",
            "MEDIA_ANALYSIS_JOB_LEASE_SECONDS": "3",
            "MEDIA_ANALYSIS_JOB_HEARTBEAT_SECONDS": "0.5",
            "MEDIA_ANALYSIS_JOB_POLL_SECONDS": "1",
            "MEDIA_ANALYSIS_SHUTDOWN_GRACE_SECONDS": "2",
            "MEDIA_ANALYSIS_UPLOAD_DIR": str(tmp_path / "uploads"),
            "MEDIA_ANALYSIS_OUTPUT_DIR": str(tmp_path / "outputs"),
            "MEDIA_ANALYSIS_DATA_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(REPO_ROOT),
        }
    )
    return env


def start_worker(env: dict[str, str], log: Path, concurrency: int = 2) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "media_analysis.cli",
            "worker",
            "--no-migrate",
            "--concurrency",
            str(concurrency),
        ],
        env=env,
        cwd=REPO_ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_log(path: Path) -> list[tuple[str, str, str]]:
    if not path.exists():
        return []
    return [tuple(line.split()) for line in path.read_text().splitlines() if line]  # type: ignore[misc]
