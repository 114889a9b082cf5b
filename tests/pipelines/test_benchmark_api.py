"""Provider benchmark: stats from recorded attempts, WER runs against a reference."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from media_analysis.benchmark.wer import word_error_rate
from tests.conftest import CORPUS, serving_app
from tests.fakes import run_fake_server
from tests.fakes.transcription import FakeSpeech
from tests.fakes.transcription_whisper_api import FakeWhisperApi

GROQ_KEY = "gsk_benchmarkGroqKey0123456789abcdef"
JFK = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)


def test_word_error_rate_counts_edits_over_reference_words() -> None:
    assert word_error_rate("the cat sat", "The cat, sat!") == 0.0
    assert word_error_rate("the cat sat", "the dog sat") == pytest.approx(1 / 3)
    assert word_error_rate("the cat sat", "the cat") == pytest.approx(1 / 3)
    assert word_error_rate("a b", "a x b y") == 1.0
    assert word_error_rate("", "") == 0.0


@pytest.fixture
async def groq_client(
    tmp_path: Path, db_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, FakeWhisperApi]]:
    fake = FakeWhisperApi(api_key=GROQ_KEY, flavour="groq")
    fake.speech = FakeSpeech.from_text(
        "And so my fellow Americans ask what your country can do", start=0.3
    )
    with run_fake_server(fake.app) as base_url:
        async with serving_app(
            tmp_path,
            db_url,
            groq_api_key=GROQ_KEY,
            groq_base_url=base_url + "/openai/v1",
            transcription_providers="groq,deepgram,local",
        ) as (client, _):
            yield client, fake


async def test_a_reference_run_scores_every_configured_provider(
    groq_client: tuple[httpx.AsyncClient, FakeWhisperApi],
) -> None:
    client, fake = groq_client
    response = await client.post(
        "/api/media/benchmark?wait=60",
        files={"file": ("jfk.wav", (CORPUS / "jfk.wav").read_bytes())},
        data={"reference_text": JFK},
    )
    job = response.json()
    assert job["status"] == "completed", job["error"]
    results = {r["provider"]: r for r in job["result"]["results"]}
    assert results["deepgram"]["outcome"] == "skipped"
    assert results["local"]["outcome"] == "success" and results["local"]["wer"] <= 0.1
    groq: dict[str, Any] = results["groq"]
    assert groq["outcome"] == "success", groq
    assert groq["wer"] == pytest.approx(word_error_rate(JFK, fake.speech.text), abs=1e-4)
    assert groq["wer"] > results["local"]["wer"]
    assert len(fake.requests) == 1

    stats = (await client.get("/api/media/benchmark")).json()["providers"]
    by_provider = {(s["kind"], s["provider"]): s for s in stats}
    local = by_provider[("transcription", "local")]
    assert local["attempts"] >= 1 and local["success_rate"] is not None
    assert local["latency_ms"]["p50"] is not None and local["audio_seconds"] > 0
    assert local["cost_usd"] == 0.0
    groq_stats = by_provider[("transcription", "groq")]
    assert groq_stats["cost_usd"] is not None and groq_stats["cost_usd"] > 0


async def test_a_benchmark_needs_a_reference_text(live_client: httpx.AsyncClient) -> None:
    response = await live_client.post(
        "/api/media/benchmark", json={"audio_url": "https://example.com/a.wav"}
    )
    assert response.status_code == 422
