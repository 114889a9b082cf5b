"""Groq and OpenAI clients against the fake of their shared multipart protocol."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.groq import GroqSettings, groq_transcriber
from media_analysis.providers.http_clients import close_shared_clients
from media_analysis.providers.openai import OpenAISettings, openai_transcriber
from media_analysis.providers.openai_compatible import OpenAICompatibleTranscriber
from tests.fakes.transcription import FakeError, FakeSpeech
from tests.fakes.transcription_whisper_api import AVG_LOGPROB, FakeWhisperApi


def groq_for(
    fake: FakeWhisperApi, *, model: str = "whisper-large-v3-turbo", timeout: float = 10
) -> OpenAICompatibleTranscriber:
    base_url = fake.base_url + "/openai/v1"
    settings = GroqSettings(api_key=fake.api_key, base_url=base_url, model=model, timeout=timeout)
    return groq_transcriber(settings)


def openai_for(fake: FakeWhisperApi, *, model: str = "whisper-1") -> OpenAICompatibleTranscriber:
    settings = OpenAISettings(api_key=fake.api_key, base_url=fake.base_url + "/v1", model=model)
    return openai_transcriber(settings)


async def test_groq_reads_words_segments_language_and_confidence(
    groq_fake: FakeWhisperApi, speech: FakeSpeech, audio_file: Path
) -> None:
    groq_fake.speech = speech
    transcript = await groq_for(groq_fake).transcribe(
        audio_file, mime_type="audio/wav", language=None
    )
    assert transcript.text == speech.text
    assert transcript.language == "en"
    assert transcript.provider == "groq"
    assert transcript.model == "whisper-large-v3-turbo"
    assert transcript.duration == pytest.approx(speech.duration)
    assert transcript.confidence == pytest.approx(math.exp(AVG_LOGPROB))
    assert transcript.words is not None
    assert [(w.text, w.start, w.end) for w in transcript.words] == [
        (w.text, w.start, w.end) for w in speech.words
    ]
    assert all(w.confidence is None for w in transcript.words)
    assert [s.text for s in transcript.segments] == [
        " ".join(w.text for w in ws) for ws in speech.sentences()
    ]


async def test_groq_sends_the_documented_multipart_request(
    groq_fake: FakeWhisperApi, audio_file: Path
) -> None:
    groq_fake.speech = FakeSpeech.from_text("Bonjour à tous", language="fr")
    transcript = await groq_for(groq_fake).transcribe(
        audio_file, mime_type="audio/wav", language="fr"
    )
    request = groq_fake.requests[0]
    assert request.path == "/openai/v1/audio/transcriptions"
    assert request.headers["authorization"] == f"Bearer {groq_fake.api_key}"
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert request.form["model"] == ["whisper-large-v3-turbo"]
    assert request.form["language"] == ["fr"]
    assert request.form["response_format"] == ["verbose_json"]
    assert request.form["timestamp_granularities[]"] == ["word", "segment"]
    upload = request.files["file"]
    assert (upload.filename, upload.content_type) == ("speech.wav", "audio/wav")
    assert upload.content == audio_file.read_bytes()
    assert transcript.language == "fr"


async def test_openai_whisper_1_asks_for_timestamps(
    openai_fake: FakeWhisperApi, speech: FakeSpeech, audio_file: Path
) -> None:
    openai_fake.speech = speech
    transcript = await openai_for(openai_fake).transcribe(
        audio_file, mime_type="audio/wav", language=None
    )
    assert openai_fake.requests[0].path == "/v1/audio/transcriptions"
    assert openai_fake.requests[0].form["model"] == ["whisper-1"]
    assert transcript.text == speech.text
    assert transcript.language == "en"
    assert transcript.words is not None
    assert len(transcript.words) == len(speech.words)


async def test_openai_gpt4o_models_get_plain_json_without_timestamps(
    openai_fake: FakeWhisperApi, speech: FakeSpeech, audio_file: Path
) -> None:
    openai_fake.speech = speech
    client = openai_for(openai_fake, model="gpt-4o-transcribe")
    transcript = await client.transcribe(audio_file, mime_type="audio/wav", language="en")
    form = openai_fake.requests[0].form
    assert form["response_format"] == ["json"]
    assert "timestamp_granularities[]" not in form
    assert transcript.text == speech.text
    assert transcript.words is None
    assert transcript.segments == ()
    assert transcript.language == "en"


@pytest.mark.parametrize(
    ("error", "kind", "status"),
    [
        (FakeError.SERVER_ERROR, "server", 500),
        (FakeError.UNAVAILABLE, "server", 503),
        (FakeError.TOO_LARGE, "too_large", 413),
        (FakeError.GARBLED, "misconfigured", 200),
    ],
)
async def test_groq_errors_map_to_failure_kinds(
    groq_fake: FakeWhisperApi, audio_file: Path, error: FakeError, kind: str, status: int
) -> None:
    groq_fake.fail_with(error)
    with pytest.raises(ProviderFailure) as caught:
        await groq_for(groq_fake).transcribe(audio_file, mime_type="audio/wav", language=None)
    assert (caught.value.kind, caught.value.status) == (kind, status)


async def test_rate_limit_carries_retry_after(groq_fake: FakeWhisperApi, audio_file: Path) -> None:
    groq_fake.fail_with(FakeError.RATE_LIMITED, retry_after=7)
    with pytest.raises(ProviderFailure) as caught:
        await groq_for(groq_fake).transcribe(audio_file, mime_type="audio/wav", language=None)
    failure = caught.value
    assert (failure.kind, failure.status, failure.provider_code) == (
        "throttled",
        429,
        "rate_limit_exceeded",
    )
    assert failure.retry_after == 7


async def test_rate_limit_without_retry_after_uses_reset_header(
    groq_fake: FakeWhisperApi, audio_file: Path
) -> None:
    groq_fake.fail_with(FakeError.RATE_LIMITED, retry_after=None)
    groq_fake.rate_limit_headers = {"x-ratelimit-reset-requests": "1m30.5s"}
    with pytest.raises(ProviderFailure) as caught:
        await groq_for(groq_fake).transcribe(audio_file, mime_type="audio/wav", language=None)
    assert caught.value.retry_after == pytest.approx(90.5)


async def test_openai_insufficient_quota_is_an_account_problem(
    openai_fake: FakeWhisperApi, audio_file: Path
) -> None:
    openai_fake.fail_with(FakeError.QUOTA_EXHAUSTED)
    with pytest.raises(ProviderFailure) as caught:
        await openai_for(openai_fake).transcribe(audio_file, mime_type="audio/wav", language=None)
    assert (caught.value.kind, caught.value.provider_code) == ("auth", "insufficient_quota")


@pytest.mark.parametrize("flavour", ["groq", "openai"])
async def test_corrupt_audio_is_the_callers_fault(
    groq_fake: FakeWhisperApi, openai_fake: FakeWhisperApi, audio_file: Path, flavour: str
) -> None:
    fake, client_for = (groq_fake, groq_for) if flavour == "groq" else (openai_fake, openai_for)
    fake.fail_with(FakeError.CORRUPT_AUDIO)
    with pytest.raises(ProviderFailure) as caught:
        await client_for(fake).transcribe(audio_file, mime_type="audio/wav", language=None)
    assert (caught.value.kind, caught.value.caller_fault) == ("caller", "invalid_media")


async def test_unsupported_language_is_the_callers_fault(
    groq_fake: FakeWhisperApi, audio_file: Path
) -> None:
    groq_fake.fail_with(FakeError.UNSUPPORTED_LANGUAGE)
    with pytest.raises(ProviderFailure) as caught:
        await groq_for(groq_fake).transcribe(audio_file, mime_type="audio/wav", language="xx")
    assert (caught.value.kind, caught.value.caller_fault) == ("caller", "unsupported_language")


async def test_unknown_model_means_misconfigured(
    groq_fake: FakeWhisperApi, audio_file: Path
) -> None:
    with pytest.raises(ProviderFailure) as caught:
        await groq_for(groq_fake, model="whisper-xxl").transcribe(
            audio_file, mime_type="audio/wav", language=None
        )
    assert (caught.value.kind, caught.value.status) == ("misconfigured", 404)


@pytest.mark.parametrize("flavour", ["groq", "openai"])
async def test_bad_key_is_auth_and_never_leaks(
    groq_fake: FakeWhisperApi, openai_fake: FakeWhisperApi, audio_file: Path, flavour: str
) -> None:
    fake, settings_type = (
        (groq_fake, GroqSettings) if flavour == "groq" else (openai_fake, OpenAISettings)
    )
    prefix = "/openai/v1" if flavour == "groq" else "/v1"
    wrong_key = "sk-wrongKeyThatMustNotLeak42"
    settings = settings_type(api_key=wrong_key, base_url=fake.base_url + prefix)
    client = OpenAICompatibleTranscriber(flavour, settings, supports_timestamps=lambda _: True)
    with pytest.raises(ProviderFailure) as caught:
        await client.transcribe(audio_file, mime_type="audio/wav", language=None)
    failure = caught.value
    assert (failure.kind, failure.status, failure.provider_code) == (
        "auth",
        401,
        "invalid_api_key",
    )
    for text in (str(failure), repr(failure), failure.message, repr(settings), repr(client)):
        assert wrong_key not in text
        assert fake.api_key not in text
        assert "Leak42" not in text


async def test_slow_answer_is_a_timeout(groq_fake: FakeWhisperApi, audio_file: Path) -> None:
    groq_fake.delay = 1.0
    with pytest.raises(ProviderFailure) as caught:
        await groq_for(groq_fake, timeout=0.2).transcribe(
            audio_file, mime_type="audio/wav", language=None
        )
    assert caught.value.kind == "timeout"


async def test_unreachable_host_is_a_server_failure(audio_file: Path) -> None:
    settings = GroqSettings(api_key="gsk_x", base_url="http://127.0.0.1:9/openai/v1", timeout=2)
    with pytest.raises(ProviderFailure) as caught:
        await groq_transcriber(settings).transcribe(
            audio_file, mime_type="audio/wav", language=None
        )
    assert caught.value.kind == "server"


async def test_calls_to_one_provider_share_a_kept_alive_connection(
    groq_fake: FakeWhisperApi, speech: FakeSpeech, audio_file: Path
) -> None:
    groq_fake.speech = speech
    groq = groq_for(groq_fake)
    for _ in range(3):
        await groq.transcribe(audio_file, mime_type="audio/wav", language=None)
    await close_shared_clients()
    await groq.transcribe(audio_file, mime_type="audio/wav", language=None)

    ports = [request.client_port for request in groq_fake.requests]
    assert ports[0] is not None
    assert ports[:3] == [ports[0]] * 3, "each call opened its own connection"
    assert ports[3] != ports[0], "a closed client's connection was used again"
