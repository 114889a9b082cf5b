"""Start `media-analysis serve` as a real process on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.paths import REPO_ROOT

CLI = [sys.executable, "-m", "media_analysis.cli"]


def service_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_ANALYSIS_")}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "MEDIA_ANALYSIS_UPLOAD_DIR": str(tmp_path / "uploads"),
            "MEDIA_ANALYSIS_OUTPUT_DIR": str(tmp_path / "outputs"),
            "MEDIA_ANALYSIS_DATA_DIR": str(tmp_path / "var"),
            "MEDIA_ANALYSIS_ALLOW_PRIVATE_URLS": "true",
        }
    )
    env.update(extra)
    return env


@contextmanager
def running_server(env: dict[str, str], *args: str, startup_timeout: float = 60) -> Iterator[str]:
    port = free_port()
    command = ["serve", "--host", "127.0.0.1", "--port", str(port), *args]
    with running_cli(env, command, f"serve-{port}") as process:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_live(base_url, process, startup_timeout)
        yield base_url


@contextmanager
def running_cli(
    env: dict[str, str], command: list[str], log_name: str
) -> Iterator[subprocess.Popen[bytes]]:
    """A `media-analysis` command in its own process, its output kept beside its data."""
    log = open(Path(env["MEDIA_ANALYSIS_DATA_DIR"]).parent / f"{log_name}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [*CLI, *command], env=env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_live(base_url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with code {process.returncode}")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError("server did not become live")
