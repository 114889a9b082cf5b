"""Ctrl-C while following a running job: a terminal asks first; a pipe never cancels."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.client.conftest import API_KEY, CLI, Server, client_env
from tests.client.terminal import PseudoTerminal
from tests.media.clips import make_video
from tests.paths import REPO_ROOT

JOB_ID = r"job ([0-9a-f-]{36}) \(video\) submitted"


@pytest.fixture
def long_video(tmp_path: Path) -> Path:
    """Five minutes of frames: still being processed when the client is interrupted."""
    return make_video(tmp_path / "long.mp4", seconds=300, size="160x120", rate=5)


def job_status(server: Server, job_id: str) -> str:
    response = httpx.get(f"{server.url}/api/media/jobs/{job_id}", headers={"X-API-Key": API_KEY})
    status: str = response.json()["status"]
    return status


def stop_job(server: Server, job_id: str) -> None:
    httpx.delete(f"{server.url}/api/media/jobs/{job_id}", headers={"X-API-Key": API_KEY})


def test_ctrl_c_on_a_terminal_asks_and_cancels_the_job(
    api_server: Server, long_video: Path
) -> None:
    command = [*CLI, "analyze", str(long_video), "--kind", "video"]
    terminal = PseudoTerminal(command, client_env(api_server.url), str(REPO_ROOT))
    try:
        job_id = terminal.wait_for(JOB_ID).group(1)
        terminal.wait_for(r"probing|extracting_frames")
        terminal.process.send_signal(signal.SIGINT)
        terminal.wait_for(rf"Cancel job {job_id}\?")
        terminal.type("y\n")
        assert terminal.process.wait(timeout=120) == 130, terminal.text
        assert f"job {job_id} cancelled" in terminal.text
        assert job_status(api_server, job_id) == "cancelled"
    finally:
        terminal.close()


def test_ctrl_c_without_a_terminal_leaves_the_job_running(
    api_server: Server, long_video: Path
) -> None:
    client = subprocess.Popen(
        [*CLI, "analyze", str(long_video), "--kind", "video"],
        env=client_env(api_server.url),
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert client.stderr is not None
    seen = ""
    while "probing" not in seen and client.poll() is None:
        seen += client.stderr.readline()
    client.send_signal(signal.SIGINT)
    stdout, stderr = client.communicate(timeout=60)
    job_id = stdout.strip()
    try:
        assert client.returncode == 130, seen + stderr
        assert f"job {job_id} (video) submitted" in seen
        assert f"media-analysis job {job_id}" in stderr
        assert "Traceback" not in stderr
        assert job_status(api_server, job_id) in ("pending", "processing")
    finally:
        stop_job(api_server, job_id)
