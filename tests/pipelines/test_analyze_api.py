"""Understanding endpoints: /analyze detection, composed /video and /audio, re-analysis."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select

from media_analysis.db.models import AnalysisResult
from tests.conftest import CORPUS, serving_app
from tests.fakes import run_fake_server
from tests.fakes.vision import FakeMiniMax

MINIMAX_KEY = "eyJhbGciOiJSUzI1NiJ9.minimaxAnalyzeKey0123456789"
JFK_WORDS = "and so my fellow americans ask not what your country can do for you"


async def _post(
    client: httpx.AsyncClient, path: str, name: str, content: bytes, **fields: str
) -> dict[str, Any]:
    response = await client.post(f"{path}?wait=60", files={"file": (name, content)}, data=fields)
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    assert job["status"] == "completed", job["error"]
    return job


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def _sign_png() -> bytes:
    image = Image.new("RGB", (640, 200), "white")
    ImageDraw.Draw(image).text(
        (30, 60), "OPEN DAILY", fill="black", font=ImageFont.load_default(size=64)
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("clip.bin", (CORPUS / "bigbuckbunny.mp4").read_bytes(), "video"),
        ("speech.mp4", (CORPUS / "jfk.wav").read_bytes(), "audio"),
        ("notes.txt", (CORPUS / "crazyones.pdf").read_bytes(), "document"),
        ("photo.pdf", _sign_png(), "image"),
    ],
)
async def test_analyze_detects_the_media_type_from_content(
    live_client: httpx.AsyncClient, name: str, content: bytes, kind: str
) -> None:
    job = await _post(live_client, "/api/media/analyze", name, content, prompt="What is this?")
    result = job["result"]
    assert result["media_type"] == kind
    assert job["media_type"] == kind
    for field in (
        "status",
        "frame_count",
        "contact_sheet_path",
        "analysis_result",
        "processing_time_ms",
    ):
        assert field in result
    analysis = result["analysis_result"]
    assert analysis["provider"] == "local" and analysis["language_model_used"] is False
    if kind == "video":
        assert result["frame_count"] == 16 and len(result["contact_sheets"]) == 3
    if kind == "audio":
        assert JFK_WORDS in _words(result["transcript"]["text"])
    if kind == "image":
        assert "OPEN" in str(analysis).upper()


async def test_unrecognisable_content_is_refused_at_submission(
    live_client: httpx.AsyncClient,
) -> None:
    response = await live_client.post(
        "/api/media/analyze?wait=30", files={"file": ("x.mp4", bytes(range(256)) * 50)}
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


async def test_audio_endpoint_gives_transcript_and_analysis(live_client: httpx.AsyncClient) -> None:
    job = await _post(
        live_client,
        "/api/media/audio",
        "jfk.wav",
        (CORPUS / "jfk.wav").read_bytes(),
        prompt="Who speaks?",
    )
    result = job["result"]
    assert JFK_WORDS in _words(result["transcript"]["text"])
    assert result["analysis_result"]["transcript_excerpt"]
    assert [a["provider"] for a in result["providers"] if a["outcome"] == "success"] == ["local"]


@pytest.fixture
async def minimax_app(
    tmp_path: Path, db_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, FakeMiniMax, Any]]:
    fake = FakeMiniMax(api_key=MINIMAX_KEY, model="MiniMax-Text-01", answer="A rabbit at 00:02.")
    with run_fake_server(fake.app) as base_url:
        async with serving_app(
            tmp_path, db_url, workers=2, minimax_api_key=MINIMAX_KEY, minimax_base_url=base_url
        ) as (client, app):
            yield client, fake, app


async def test_video_sends_sheets_with_their_timestamps_to_the_model(
    minimax_app: tuple[httpx.AsyncClient, FakeMiniMax, Any],
) -> None:
    client, fake, _ = minimax_app
    job = await _post(
        client,
        "/api/media/video",
        "bunny.mp4",
        (CORPUS / "bigbuckbunny.mp4").read_bytes(),
        prompt="What happens?",
    )
    result = job["result"]
    assert result["analysis_result"]["provider"] == "minimax"
    assert result["analysis_result"]["answer"] == "A rabbit at 00:02."
    assert result["contact_sheet_path"] == result["contact_sheets"][0]["url"]
    outcomes = [(a["provider"], a["outcome"]) for a in result["providers"]]
    assert ("minimax", "success") in outcomes
    (request,) = fake.requests
    content = request.body["messages"][-1]["content"]
    images = [part for part in content if part["type"] == "image_url"]
    assert len(images) == 3
    text = " ".join(part["text"] for part in content if part["type"] == "text")
    assert "What happens?" in text and "00:05.0" in text


async def test_reanalysis_answers_a_new_prompt_from_stored_material(
    minimax_app: tuple[httpx.AsyncClient, FakeMiniMax, Any],
) -> None:
    client, fake, app = minimax_app
    first = await _post(
        client,
        "/api/media/video/contact-sheet",
        "bunny.mp4",
        (CORPUS / "bigbuckbunny.mp4").read_bytes(),
    )
    fake.answer = "The sky is blue at 00:01."
    response = await client.post(
        f"/api/media/jobs/{first['id']}/analyze?wait=60", json={"prompt": "What colour is the sky?"}
    )
    assert response.status_code == 200, response.text
    rerun = response.json()
    assert rerun["status"] == "completed", rerun["error"]
    assert rerun["result"]["analysis_result"]["answer"] == "The sky is blue at 00:01."
    assert rerun["result"]["source_job_id"] == first["id"]
    sent = str(fake.requests[-1].body)
    assert "What colour is the sky?" in sent
    async with app.state.database.session_factory() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(AnalysisResult)
            .where(AnalysisResult.job_id == first["id"])
        )
    assert count == 1


async def test_reanalysing_an_unfinished_job_is_a_conflict(live_client: httpx.AsyncClient) -> None:
    pending = await live_client.post(
        "/api/media/video/extract-frames", json={"video_url": "https://example.invalid/v.mp4"}
    )
    response = await live_client.post(
        f"/api/media/jobs/{pending.json()['id']}/analyze", json={"prompt": "again"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "job_not_finished"
    missing = await live_client.post(
        "/api/media/jobs/00000000-0000-0000-0000-000000000000/analyze", json={"prompt": "x"}
    )
    assert missing.status_code == 404
