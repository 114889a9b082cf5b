"""Audio tests: an app per test with its own settings, generated media, provider fakes."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from media_analysis.app import create_app
from media_analysis.config import Settings
from media_analysis.media.binaries import ffmpeg_path
from tests.conftest import CORPUS, make_settings
from tests.providers.conftest import NO_PROVIDER_KEYS
from tests.support.sse import Event, read_events

JFK_WAV = CORPUS / "jfk.wav"
JFK_FLAC = CORPUS / "jfk.flac"
BUNNY = CORPUS / "bigbuckbunny.mp4"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """As the shared fixture, but never with a provider key from the environment."""
    return make_settings(tmp_path, **NO_PROVIDER_KEYS)


@asynccontextmanager
async def service(
    tmp_path: Path, db_url: str, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with ``overrides`` on the test settings, two workers, real commits."""
    settings = make_settings(tmp_path, **(NO_PROVIDER_KEYS | overrides))
    application = create_app(settings, db_url, workers=2)
    async with application.router.lifespan_context(application):
        await application.state.database.hub.connected.wait()
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=120
        ) as client:
            yield client


async def upload(
    client: httpx.AsyncClient, media: Path, *, wait: float = 60, **fields: str
) -> dict[str, Any]:
    with media.open("rb") as handle:
        response = await client.post(
            f"/api/media/audio/transcribe?wait={wait}",
            files={"file": (media.name, handle, "application/octet-stream")},
            data=fields,
        )
    assert response.status_code in (200, 202), response.text
    job: dict[str, Any] = response.json()
    return job


async def finished(client: httpx.AsyncClient, job_id: str, timeout: float = 60) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            job: dict[str, Any] = (await client.get(f"/api/media/jobs/{job_id}")).json()
            if job["status"] in ("completed", "failed", "cancelled"):
                return job
            await asyncio.sleep(0.1)


async def job_events(client: httpx.AsyncClient, job_id: str) -> list[Event]:
    """Every event of a job that has ended (the stream replays them and closes)."""
    async with client.stream("GET", f"/api/media/jobs/{job_id}/events") as response:
        return [event async for event in read_events(response)]


def ffmpeg(*args: str) -> None:
    subprocess.run(
        [ffmpeg_path(), "-nostdin", "-hide_banner", "-v", "error", "-y", *args],
        check=True,
        timeout=120,
    )


def video_without_audio(dest: Path) -> Path:
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10",
        "-an", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(dest),
    )  # fmt: skip
    return dest


def repeated_speech(dest: Path, times: int, gap_seconds: float = 1.0) -> Path:
    """JFK's sentence ``times`` times, each followed by ``gap_seconds`` of silence."""
    one = dest.with_name("one_sentence.wav")
    ffmpeg("-i", str(JFK_WAV), "-af", f"apad=pad_dur={gap_seconds}", str(one))
    ffmpeg("-stream_loop", str(times - 1), "-i", str(one), "-c", "copy", str(dest))
    return dest
