"""A transcription job that no provider could serve keeps every attempt with its error."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CORPUS, serving_app
from tests.fakes import run_fake_server
from tests.fakes.transcription import FakeError
from tests.fakes.transcription_whisper_api import FakeWhisperApi

GROQ_KEY = "gsk_failingGroqKey0123456789abcdef"


async def test_every_attempt_is_kept_on_the_failed_job(tmp_path: Path, db_url: str) -> None:
    fake = FakeWhisperApi(api_key=GROQ_KEY, flavour="groq")
    fake.fail_with(FakeError.SERVER_ERROR)
    with run_fake_server(fake.app) as base_url:
        async with serving_app(
            tmp_path,
            db_url,
            groq_api_key=GROQ_KEY,
            groq_base_url=base_url + "/openai/v1",
            transcription_providers="groq,openai",
        ) as (client, _):
            response = await client.post(
                "/api/media/audio/transcribe?wait=60",
                files={"file": ("jfk.wav", (CORPUS / "jfk.wav").read_bytes())},
            )
    job = response.json()
    assert job["status"] == "failed"
    assert job["error"]["code"] == "providers_unavailable"
    attempts = job["error"]["details"]["attempts"]
    outcomes = {(a["provider"], a["outcome"]) for a in attempts}
    assert ("groq", "failed") in outcomes and ("openai", "skipped") in outcomes
    assert GROQ_KEY not in response.text
