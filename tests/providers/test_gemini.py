"""Gemini client against the fake of ``generateContent``."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.gemini import GeminiSettings, GeminiTranscriber
from tests.fakes.transcription import FakeError, FakeSpeech
from tests.fakes.transcription_gemini import FakeGemini


def gemini_for(
    fake: FakeGemini, *, api_key: str | None = None, model: str = "gemini-2.5-flash"
) -> GeminiTranscriber:
    key = fake.api_key if api_key is None else api_key
    return GeminiTranscriber(GeminiSettings(api_key=key, base_url=fake.base_url, model=model))


async def test_reads_text_language_and_segments_without_words(
    gemini_fake: FakeGemini, speech: FakeSpeech, audio_file: Path
) -> None:
    gemini_fake.speech = speech
    transcript = await gemini_for(gemini_fake).transcribe(
        audio_file, mime_type="audio/wav", language=None
    )
    assert transcript.text == speech.text
    assert transcript.language == "en"
    assert (transcript.provider, transcript.model) == ("gemini", "gemini-2.5-flash")
    assert transcript.words is None
    assert transcript.confidence is None
    assert [(s.start, s.end, s.text) for s in transcript.segments] == [
        (ws[0].start, ws[-1].end, " ".join(w.text for w in ws)) for ws in speech.sentences()
    ]


async def test_sends_inline_audio_and_a_response_schema(
    gemini_fake: FakeGemini, audio_file: Path
) -> None:
    gemini_fake.speech = FakeSpeech.from_text("Hola a todos", language="es")
    transcript = await gemini_for(gemini_fake).transcribe(
        audio_file, mime_type="audio/wav", language="es"
    )
    request = gemini_fake.requests[0]
    assert request.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert request.headers["x-goog-api-key"] == gemini_fake.api_key
    assert "key" not in request.query
    body = json.loads(request.body)
    prompt, audio = body["contents"][0]["parts"]
    assert "'es'" in prompt["text"]
    assert audio["inline_data"]["mime_type"] == "audio/wav"
    assert base64.b64decode(audio["inline_data"]["data"]) == audio_file.read_bytes()
    schema = body["generationConfig"]["responseSchema"]
    assert set(schema["required"]) == {"text", "language", "segments"}
    assert transcript.language == "es"


@pytest.mark.parametrize(
    ("error", "kind", "status", "code"),
    [
        (FakeError.QUOTA_EXHAUSTED, "auth", 400, "FAILED_PRECONDITION"),
        (FakeError.SERVER_ERROR, "server", 500, "INTERNAL"),
        (FakeError.UNAVAILABLE, "server", 503, "UNAVAILABLE"),
        (FakeError.TOO_LARGE, "too_large", 400, "INVALID_ARGUMENT"),
        (FakeError.GARBLED, "misconfigured", 200, None),
    ],
)
async def test_errors_map_to_failure_kinds(
    gemini_fake: FakeGemini,
    audio_file: Path,
    error: FakeError,
    kind: str,
    status: int,
    code: str | None,
) -> None:
    gemini_fake.fail_with(error)
    with pytest.raises(ProviderFailure) as caught:
        await gemini_for(gemini_fake).transcribe(audio_file, mime_type="audio/wav", language=None)
    failure = caught.value
    assert (failure.kind, failure.status, failure.provider_code) == (kind, status, code)


async def test_resource_exhausted_carries_retry_info_delay(
    gemini_fake: FakeGemini, audio_file: Path
) -> None:
    gemini_fake.fail_with(FakeError.RATE_LIMITED, retry_after=53)
    with pytest.raises(ProviderFailure) as caught:
        await gemini_for(gemini_fake).transcribe(audio_file, mime_type="audio/wav", language=None)
    failure = caught.value
    assert (failure.kind, failure.status, failure.retry_after) == ("throttled", 429, 53.0)


async def test_blocked_prompt_is_a_refusal(gemini_fake: FakeGemini, audio_file: Path) -> None:
    gemini_fake.fail_with(FakeError.BLOCKED)
    with pytest.raises(ProviderFailure) as caught:
        await gemini_for(gemini_fake).transcribe(audio_file, mime_type="audio/wav", language=None)
    failure = caught.value
    assert (failure.kind, failure.caller_fault) == ("caller", "content_refused")
    assert failure.provider_code == "PROHIBITED_CONTENT"


async def test_unknown_model_means_misconfigured(gemini_fake: FakeGemini, audio_file: Path) -> None:
    with pytest.raises(ProviderFailure) as caught:
        await gemini_for(gemini_fake, model="gemini-0.1-nope").transcribe(
            audio_file, mime_type="audio/wav", language=None
        )
    assert (caught.value.kind, caught.value.status) == ("misconfigured", 404)


async def test_invalid_key_is_auth_and_never_leaks(
    gemini_fake: FakeGemini, audio_file: Path
) -> None:
    wrong_key = "AIzaWrongKeyThatMustNotLeak99"
    client = gemini_for(gemini_fake, api_key=wrong_key)
    with pytest.raises(ProviderFailure) as caught:
        await client.transcribe(audio_file, mime_type="audio/wav", language=None)
    failure = caught.value
    assert (failure.kind, failure.status, failure.provider_code) == (
        "auth",
        400,
        "API_KEY_INVALID",
    )
    for text in (str(failure), repr(failure), repr(client)):
        assert wrong_key not in text
        assert gemini_fake.api_key not in text
