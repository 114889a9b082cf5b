"""Hostile files against a real `media-analysis serve` while another client works.

Every hostile job fails on its first attempt with the sender's code, the other
client's jobs complete, /health keeps answering, and the API process's memory ends
where it started: decoding and parsing happen in children that exit or stay small.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from tests.documents.hostile import docx_bomb, png_bomb, self_referencing_pdf
from tests.e2e.server import running_server, service_env
from tests.media.clips import huge_frame_video

MIB = 1024 * 1024
MEMORY_LIMIT = 512 * MIB


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, tuple[str, Path, str]]:
    """name → (route, file, expected error code)."""
    files = tmp_path / "corpus"
    files.mkdir()
    return {
        "png bomb": ("analyze", png_bomb(files / "bomb.png", 13_000), "media_too_large"),
        "png bomb document": ("documents", files / "bomb.png", "media_too_large"),
        "huge frames": ("analyze", huge_frame_video(files / "huge.mp4"), "media_too_large"),
        "docx bomb": ("documents", docx_bomb(files / "bomb.docx", 150 * MIB), "document_too_large"),
        "circular pdf": ("documents", self_referencing_pdf(files / "loop.pdf"), "invalid_document"),
        "scan over the memory limit": (
            "documents",
            png_bomb(files / "scan.png", 7_000),
            "resource_limit",
        ),
    }


def test_hostile_files_fail_alone_and_leave_the_api_as_it_was(
    tmp_path: Path, db_url: str, corpus: dict[str, tuple[str, Path, str]]
) -> None:
    env = service_env(
        tmp_path, DATABASE_URL=db_url, MEDIA_ANALYSIS_JOB_MEMORY_LIMIT=str(MEMORY_LIMIT)
    )
    with (
        running_server(env, "--workers", "2") as base_url,
        httpx.Client(base_url=base_url, timeout=60) as http,
    ):
        api = _server_process(base_url)
        assert _wait(http, _submit(http, "documents", "warm-up.txt", b"Warm up.\n"))["status"] == (
            "completed"
        )
        baseline = api.memory_info().rss
        with _health_watch(base_url) as health:
            hostile = {
                name: _submit(http, route, path.name, path.read_bytes())
                for name, (route, path, _code) in corpus.items()
            }
            small = [
                _submit(http, "documents", f"note-{n}.txt", f"Note number {n}.\n".encode())
                for n in range(4)
            ]
            oversize = {
                path: _chunked_json(base_url, path)
                for path in (
                    "/api/media/documents",
                    "/api/media/benchmark",
                    f"/api/media/jobs/{small[0]}/analyze",
                )
            }
            finished = {name: _wait(http, job_id) for name, job_id in hostile.items()}
            small_finished = [_wait(http, job_id) for job_id in small]
        rss_after = api.memory_info().rss

    for name, job in finished.items():
        expected = corpus[name][2]
        assert job["status"] == "failed", (name, job)
        assert job["error"]["code"] == expected, (name, job["error"])
        assert job["attempts"] == 1, (name, job)
    assert [job["status"] for job in small_finished] == ["completed"] * 4
    assert set(oversize.values()) == {413}, oversize
    assert health["failures"] == 0 and health["answered"] > 0
    print(
        f"/health answered {health['answered']} times: median "
        f"{statistics.median(health['latencies']) * 1000:.1f} ms, "
        f"max {max(health['latencies']) * 1000:.1f} ms; API RSS {baseline / MIB:.0f} MiB "
        f"before, {rss_after / MIB:.0f} MiB after"
    )
    assert rss_after - baseline < 50 * MIB


def _chunked_json(base_url: str, path: str, megabytes: int = 64) -> int:
    """A JSON body far over the 1 MiB cap, sent without a Content-Length."""

    def body() -> Iterator[bytes]:
        yield b'{"prompt": "'
        for _ in range(megabytes):
            yield b"x" * MIB
        yield b'"}'

    try:
        with httpx.Client(base_url=base_url, timeout=60) as http:
            response = http.post(path, content=body(), headers={"content-type": "application/json"})
    except httpx.TransportError:
        return 0  # the server hung up without an answer: the body was not refused cleanly
    return response.status_code


def _server_process(base_url: str) -> psutil.Process:
    port = base_url.rsplit(":", 1)[1]
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info.get("cmdline") or []
        if "media_analysis.cli" in cmdline and port in cmdline:
            return process
    raise AssertionError("server process not found")


def _submit(http: httpx.Client, route: str, name: str, content: bytes) -> str:
    response = http.post(f"/api/media/{route}", files={"file": (name, content)})
    assert response.status_code == 202, response.text
    job_id: str = response.json()["id"]
    return job_id


def _wait(http: httpx.Client, job_id: str, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = http.get(f"/api/media/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed", "cancelled"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish")


@contextmanager
def _health_watch(base_url: str) -> Iterator[dict[str, Any]]:
    """Polls /health every 0.2 s until the block ends; counts answers and latencies."""
    report: dict[str, Any] = {"answered": 0, "failures": 0, "latencies": []}
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    ok = http.get("/health").status_code == 200
                except httpx.TransportError:
                    ok = False
                report["latencies"].append(time.monotonic() - started)
                report["answered" if ok else "failures"] += 1
                stop.wait(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        yield report
    finally:
        stop.set()
        watcher.join(timeout=40)
