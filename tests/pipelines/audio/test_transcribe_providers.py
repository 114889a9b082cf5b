"""audio.transcribe against wire-exact provider fakes on loopback: fallback, choice, chunks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes.transcription import FakeError, FakeSpeech
from tests.fakes.transcription_deepgram import FakeDeepgram
from tests.fakes.transcription_whisper_api import FakeWhisperApi
from tests.pipelines.audio.conftest import JFK_WAV, finished, repeated_speech, service, upload
from tests.providers.conftest import DEEPGRAM_KEY, GROQ_KEY
from tests.providers.test_local import JFK, word_error_rate

Serve = Callable[[FakeWhisperApi | FakeDeepgram], FakeWhisperApi | FakeDeepgram]


@pytest.fixture
def speech() -> FakeSpeech:
    return FakeSpeech.from_text("Meet me by the lighthouse when the tide goes out.", start=0.2)


@pytest.fixture
def groq(serve: Serve, speech: FakeSpeech) -> FakeWhisperApi:
    fake = serve(FakeWhisperApi(api_key=GROQ_KEY, flavour="groq", speech=speech))
    assert isinstance(fake, FakeWhisperApi)
    return fake


@pytest.fixture
def deepgram(serve: Serve, speech: FakeSpeech) -> FakeDeepgram:
    fake = serve(FakeDeepgram(api_key=DEEPGRAM_KEY, speech=speech))
    assert isinstance(fake, FakeDeepgram)
    return fake


def provider_settings(groq: FakeWhisperApi, deepgram: FakeDeepgram) -> dict[str, object]:
    return {
        "groq_api_key": GROQ_KEY,
        "groq_base_url": groq.base_url + "/openai/v1",
        "deepgram_api_key": DEEPGRAM_KEY,
        "deepgram_base_url": deepgram.base_url,
        "provider_budget": 5,
    }


async def test_a_throttled_provider_falls_through_to_the_next(
    tmp_path: Path, db_url: str, groq: FakeWhisperApi, deepgram: FakeDeepgram, speech: FakeSpeech
) -> None:
    groq.fail_with(FakeError.RATE_LIMITED, retry_after=120)
    async with service(tmp_path, db_url, **provider_settings(groq, deepgram)) as client:
        job = await upload(client, JFK_WAV)
        transcript = (await client.get(f"/api/media/jobs/{job['id']}/transcript")).json()

    assert job["status"] == "completed", job["error"]
    assert job["result"]["transcript"]["text"] == speech.text
    assert job["result"]["transcript"]["provider"] == "deepgram"
    assert [
        (p["provider"], p["outcome"], p["error_code"], p["status"], p["chunk"])
        for p in job["result"]["providers"]
    ] == [("groq", "failed", "throttled", 429, 0), ("deepgram", "success", None, None, 0)]
    assert len(groq.requests) == 1, "a retry-after beyond the budget is not waited for"
    (sent,) = deepgram.requests
    assert sent.headers["content-type"] == "audio/flac" and sent.body[:4] == b"fLaC"
    assert sent.query["detect_language"] == ["true"]
    assert [w["text"] for w in transcript["words"]] == speech.text.split()
    assert transcript["words"][0]["start"] == pytest.approx(0.2)
    assert GROQ_KEY not in str(job) and DEEPGRAM_KEY not in str(transcript)


async def test_an_explicit_provider_is_the_only_one_tried(
    tmp_path: Path, db_url: str, groq: FakeWhisperApi, deepgram: FakeDeepgram
) -> None:
    async with service(tmp_path, db_url, **provider_settings(groq, deepgram)) as client:
        job = await upload(client, JFK_WAV, provider="local")

    assert job["status"] == "completed", job["error"]
    assert word_error_rate(JFK, job["result"]["transcript"]["text"]) <= 0.1
    assert [(p["provider"], p["outcome"]) for p in job["result"]["providers"]] == [
        ("local", "success")
    ]
    assert groq.requests == [] and deepgram.requests == []


async def test_the_transcript_is_409_until_the_job_completes(
    tmp_path: Path, db_url: str, groq: FakeWhisperApi, deepgram: FakeDeepgram, speech: FakeSpeech
) -> None:
    deepgram.delay = 1.5
    async with service(tmp_path, db_url, **provider_settings(groq, deepgram)) as client:
        job = await upload(client, JFK_WAV, wait=0, provider="deepgram", language="en")
        early = await client.get(f"/api/media/jobs/{job['id']}/transcript?format=txt")
        done = await finished(client, job["id"])
        late = await client.get(f"/api/media/jobs/{job['id']}/transcript?format=txt")

    assert early.status_code == 409
    assert early.headers["content-type"] == "application/problem+json"
    assert early.json()["code"] == "transcript_not_ready"
    assert early.json()["job_status"] in ("pending", "processing")
    assert done["status"] == "completed"
    assert late.status_code == 200
    assert late.text.splitlines() == [" ".join(w.text for w in s) for s in speech.sentences()]
    assert deepgram.requests[0].query["language"] == ["en"]
    assert groq.requests == []


async def test_chunks_go_to_the_provider_as_flac_and_come_back_rebased(
    tmp_path: Path, db_url: str, groq: FakeWhisperApi, deepgram: FakeDeepgram, speech: FakeSpeech
) -> None:
    long_audio = repeated_speech(tmp_path / "four_times.wav", 4)
    settings = provider_settings(groq, deepgram) | {"transcription_chunk_seconds": 15}
    async with service(tmp_path, db_url, **settings) as client:
        job = await upload(client, long_audio, provider="deepgram")
        transcript = (await client.get(f"/api/media/jobs/{job['id']}/transcript")).json()

    assert job["status"] == "completed", job["error"]
    chunk_count = len(deepgram.requests)
    assert chunk_count >= 4
    assert all(r.body[:4] == b"fLaC" for r in deepgram.requests)
    assert [p["chunk"] for p in job["result"]["providers"]] == list(range(chunk_count))
    assert transcript["text"] == " ".join([speech.text] * chunk_count)
    starts = [word["start"] for word in transcript["words"]]
    assert starts == sorted(starts) and len(starts) == chunk_count * len(speech.words)
    assert transcript["duration_seconds"] == pytest.approx(48.0, abs=0.1)
    assert transcript["segments"][-1]["start"] > 48.0 - 15
