"""Deepgram client against the fake of ``POST /v1/listen``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from media_analysis.providers.deepgram import DeepgramSettings, DeepgramTranscriber
from media_analysis.providers.failures import ProviderFailure
from tests.fakes.transcription import FakeError, FakeSpeech
from tests.fakes.transcription_deepgram import FakeDeepgram


def deepgram_for(fake: FakeDeepgram, *, api_key: str | None = None) -> DeepgramTranscriber:
    key = fake.api_key if api_key is None else api_key
    return DeepgramTranscriber(DeepgramSettings(api_key=key, base_url=fake.base_url))


async def test_reads_punctuated_words_with_confidence(
    deepgram_fake: FakeDeepgram, speech: FakeSpeech, audio_file: Path
) -> None:
    deepgram_fake.speech = speech
    transcript = await deepgram_for(deepgram_fake).transcribe(
        audio_file, mime_type="audio/wav", language=None
    )
    assert transcript.text == speech.text
    assert (transcript.provider, transcript.model) == ("deepgram", "nova-3")
    assert transcript.confidence == pytest.approx(0.9921)
    assert transcript.duration == pytest.approx(speech.duration)
    assert transcript.words is not None
    assert [(w.text, w.start, w.end, w.confidence) for w in transcript.words] == [
        (w.text, w.start, w.end, w.confidence) for w in speech.words
    ]
    assert [s.text for s in transcript.segments] == [
        " ".join(w.text for w in ws) for ws in speech.sentences()
    ]


async def test_detects_language_when_none_is_given(
    deepgram_fake: FakeDeepgram, audio_file: Path
) -> None:
    deepgram_fake.speech = FakeSpeech.from_text("Guten Morgen zusammen", language="de")
    transcript = await deepgram_for(deepgram_fake).transcribe(
        audio_file, mime_type="audio/wav", language=None
    )
    request = deepgram_fake.requests[0]
    assert request.path == "/v1/listen"
    assert request.headers["authorization"] == f"Token {deepgram_fake.api_key}"
    assert request.headers["content-type"] == "audio/wav"
    assert request.body == audio_file.read_bytes()
    assert request.query["model"] == ["nova-3"]
    assert request.query["smart_format"] == ["true"]
    assert request.query["detect_language"] == ["true"]
    assert "language" not in request.query
    assert transcript.language == "de"


async def test_sends_the_callers_language(
    deepgram_fake: FakeDeepgram, speech: FakeSpeech, audio_file: Path
) -> None:
    deepgram_fake.speech = speech
    transcript = await deepgram_for(deepgram_fake).transcribe(
        audio_file, mime_type="audio/mpeg", language="en"
    )
    request = deepgram_fake.requests[0]
    assert request.query["language"] == ["en"]
    assert "detect_language" not in request.query
    assert request.headers["content-type"] == "audio/mpeg"
    assert transcript.language == "en"


@pytest.mark.parametrize(
    ("error", "kind", "status", "code"),
    [
        (FakeError.QUOTA_EXHAUSTED, "auth", 402, "ASR_PAYMENT_REQUIRED"),
        (FakeError.UPLOAD_INTERRUPTED, "server", 422, "ASR_UNPROCESSABLE_ENTITY"),
        (FakeError.TOO_LARGE, "too_large", 413, "PAYLOAD_TOO_LARGE"),
        (FakeError.SERVER_ERROR, "server", 500, "INTERNAL_SERVER_ERROR"),
        (FakeError.UNAVAILABLE, "server", 503, "SERVICE_UNAVAILABLE"),
        (FakeError.GARBLED, "misconfigured", 200, None),
    ],
)
async def test_errors_map_to_failure_kinds(
    deepgram_fake: FakeDeepgram,
    audio_file: Path,
    error: FakeError,
    kind: str,
    status: int,
    code: str | None,
) -> None:
    deepgram_fake.fail_with(error)
    with pytest.raises(ProviderFailure) as caught:
        await deepgram_for(deepgram_fake).transcribe(
            audio_file, mime_type="audio/wav", language=None
        )
    failure = caught.value
    assert (failure.kind, failure.status, failure.provider_code) == (kind, status, code)


async def test_too_many_requests_is_throttled_with_retry_after(
    deepgram_fake: FakeDeepgram, audio_file: Path
) -> None:
    deepgram_fake.fail_with(FakeError.RATE_LIMITED, retry_after=1.5)
    with pytest.raises(ProviderFailure) as caught:
        await deepgram_for(deepgram_fake).transcribe(
            audio_file, mime_type="audio/wav", language=None
        )
    failure = caught.value
    assert (failure.kind, failure.provider_code, failure.retry_after) == (
        "throttled",
        "TOO_MANY_REQUESTS",
        1.5,
    )


async def test_corrupt_audio_is_the_callers_fault(
    deepgram_fake: FakeDeepgram, audio_file: Path
) -> None:
    deepgram_fake.fail_with(FakeError.CORRUPT_AUDIO)
    with pytest.raises(ProviderFailure) as caught:
        await deepgram_for(deepgram_fake).transcribe(
            audio_file, mime_type="audio/wav", language=None
        )
    assert (caught.value.kind, caught.value.caller_fault) == ("caller", "invalid_media")
    assert "corrupt or unsupported data" in caught.value.message


async def test_unsupported_language_is_the_callers_fault(
    deepgram_fake: FakeDeepgram, audio_file: Path
) -> None:
    deepgram_fake.fail_with(FakeError.UNSUPPORTED_LANGUAGE)
    with pytest.raises(ProviderFailure) as caught:
        await deepgram_for(deepgram_fake).transcribe(
            audio_file, mime_type="audio/wav", language="tlh"
        )
    assert (caught.value.kind, caught.value.caller_fault) == ("caller", "unsupported_language")


async def test_bad_key_is_auth_and_never_leaks(
    deepgram_fake: FakeDeepgram, audio_file: Path
) -> None:
    wrong_key = "0123wrongDeepgramKeyMustNotLeak"
    client = deepgram_for(deepgram_fake, api_key=wrong_key)
    with pytest.raises(ProviderFailure) as caught:
        await client.transcribe(audio_file, mime_type="audio/wav", language=None)
    failure = caught.value
    assert (failure.kind, failure.status, failure.provider_code) == ("auth", 401, "INVALID_AUTH")
    for text in (str(failure), repr(failure), repr(client)):
        assert wrong_key not in text
        assert deepgram_fake.api_key not in text


async def test_slow_answer_is_a_timeout(deepgram_fake: FakeDeepgram, audio_file: Path) -> None:
    deepgram_fake.delay = 1.0
    settings = DeepgramSettings(
        api_key=deepgram_fake.api_key, base_url=deepgram_fake.base_url, timeout=0.2
    )
    with pytest.raises(ProviderFailure) as caught:
        await DeepgramTranscriber(settings).transcribe(
            audio_file, mime_type="audio/wav", language=None
        )
    assert caught.value.kind == "timeout"


async def test_uses_an_injected_client_and_leaves_it_open(
    deepgram_fake: FakeDeepgram, speech: FakeSpeech, audio_file: Path
) -> None:
    deepgram_fake.speech = speech
    settings = DeepgramSettings(api_key=deepgram_fake.api_key, base_url=deepgram_fake.base_url)
    async with httpx.AsyncClient(headers={"user-agent": "media-analysis-test"}) as client:
        transcriber = DeepgramTranscriber(settings, client=client)
        first = await transcriber.transcribe(audio_file, mime_type="audio/wav", language=None)
        second = await transcriber.transcribe(audio_file, mime_type="audio/wav", language=None)
        assert not client.is_closed
    assert first == second
    assert [r.headers["user-agent"] for r in deepgram_fake.requests] == ["media-analysis-test"] * 2
