"""The fallback chain driving real clients against their fakes over loopback HTTP."""

from __future__ import annotations

from pathlib import Path

from media_analysis.providers.chain import FallbackChain
from media_analysis.providers.circuit_breaker import CircuitBreaker
from media_analysis.providers.deepgram import DeepgramSettings, DeepgramTranscriber
from media_analysis.providers.gemini import GeminiSettings, GeminiTranscriber
from media_analysis.providers.groq import GroqSettings, groq_transcriber
from media_analysis.providers.openai import OpenAISettings, openai_transcriber
from media_analysis.providers.transcription import Transcriber
from media_analysis.providers.transcription_fallback import transcribe_with_fallback
from tests.fakes.transcription import FakeError, FakeSpeech
from tests.fakes.transcription_deepgram import FakeDeepgram
from tests.fakes.transcription_gemini import FakeGemini
from tests.fakes.transcription_whisper_api import FakeWhisperApi
from tests.providers.scripted import FakeTime


async def test_bad_key_then_throttle_then_success(
    groq_fake: FakeWhisperApi,
    deepgram_fake: FakeDeepgram,
    gemini_fake: FakeGemini,
    speech: FakeSpeech,
    audio_file: Path,
) -> None:
    deepgram_fake.speech = speech
    deepgram_fake.fail_with(FakeError.RATE_LIMITED, times=1, retry_after=3)
    chain: list[Transcriber] = [
        groq_transcriber(
            GroqSettings(api_key="gsk_revokedKey1234", base_url=groq_fake.base_url + "/openai/v1")
        ),
        openai_transcriber(OpenAISettings(api_key="")),
        DeepgramTranscriber(
            DeepgramSettings(api_key=deepgram_fake.api_key, base_url=deepgram_fake.base_url)
        ),
        GeminiTranscriber(
            GeminiSettings(api_key=gemini_fake.api_key, base_url=gemini_fake.base_url)
        ),
    ]
    time_ = FakeTime()
    result = await transcribe_with_fallback(
        FallbackChain(CircuitBreaker(clock=time_.clock), 10, time_.clock, time_.sleep),
        chain,
        audio_file,
        mime_type="audio/wav",
        language=None,
        explicit=None,
    )
    assert result.transcript.provider == "deepgram"
    assert result.transcript.text == speech.text
    assert time_.slept == [3]
    assert [
        (a["provider"], a["outcome"], a["error_code"], a["status"])
        for a in (attempt.to_dict() for attempt in result.attempts)
    ] == [
        ("groq", "failed", "auth", 401),
        ("openai", "skipped", "not_configured", None),
        ("deepgram", "failed", "throttled", 429),
        ("deepgram", "success", None, None),
    ]
    assert len(deepgram_fake.requests) == 2
    assert gemini_fake.requests == []
    assert all("gsk_revokedKey1234" not in str(a.to_dict()) for a in result.attempts)
