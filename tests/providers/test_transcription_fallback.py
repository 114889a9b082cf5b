"""Provider order, skipping, explicit choice, throttling waits and caller errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from media_analysis.errors import (
    BadRequest,
    InvalidMedia,
    MediaAnalysisError,
    ProviderUnavailable,
)
from media_analysis.providers.attempts import ProviderAttempt
from media_analysis.providers.chain import FallbackChain
from media_analysis.providers.circuit_breaker import CircuitBreaker
from media_analysis.providers.failures import (
    CallerFault,
    ContentRefused,
    FailureKind,
    ProviderNotConfigured,
    UnknownProvider,
    UnsupportedLanguage,
)
from media_analysis.providers.transcription import Transcriber
from media_analysis.providers.transcription_fallback import (
    FallbackOutcome,
    transcribe_with_fallback,
)
from tests.providers.scripted import FakeTime, ScriptedTranscriber, failure, transcript_from


@pytest.fixture
def time_() -> FakeTime:
    return FakeTime()


@pytest.fixture
def breaker(time_: FakeTime) -> CircuitBreaker:
    return CircuitBreaker(clock=time_.clock)


async def run(
    transcribers: list[ScriptedTranscriber],
    audio: Path,
    time_: FakeTime,
    breaker: CircuitBreaker,
    *,
    explicit: str | None = None,
    budget: float = 30.0,
    language: str | None = None,
) -> FallbackOutcome:
    chain: list[Transcriber] = list(transcribers)
    return await transcribe_with_fallback(
        FallbackChain(breaker, budget, time_.clock, time_.sleep),
        chain,
        audio,
        mime_type="audio/wav",
        language=language,
        explicit=explicit,
    )


def outcomes(attempts: Sequence[ProviderAttempt]) -> list[tuple[str, str, str | None]]:
    return [(a.provider, a.outcome, a.error_code) for a in attempts]


async def test_first_provider_that_answers_wins(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", [transcript_from("groq")])
    deepgram = ScriptedTranscriber("deepgram", [transcript_from("deepgram")])
    result = await run([groq, deepgram], audio_file, time_, breaker)
    assert result.transcript.provider == "groq"
    assert outcomes(result.attempts) == [("groq", "success", None)]
    assert deepgram.calls == []


@pytest.mark.parametrize(
    "kind", ["auth", "server", "timeout", "too_large", "misconfigured", "unsupported"]
)
async def test_provider_side_failures_move_on(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker, kind: FailureKind
) -> None:
    groq = ScriptedTranscriber("groq", [failure("groq", kind, status=500)])
    local = ScriptedTranscriber("local", [transcript_from("local")])
    result = await run([groq, local], audio_file, time_, breaker)
    assert result.transcript.provider == "local"
    assert outcomes(result.attempts) == [("groq", "failed", kind), ("local", "success", None)]
    assert result.attempts[0].status == 500


async def test_unconfigured_and_too_small_providers_are_skipped(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", configured=False)
    gemini = ScriptedTranscriber("gemini", max_upload_bytes=16)
    local = ScriptedTranscriber("local", [transcript_from("local")])
    result = await run([groq, gemini, local], audio_file, time_, breaker)
    assert outcomes(result.attempts) == [
        ("groq", "skipped", "not_configured"),
        ("gemini", "skipped", "too_large"),
        ("local", "success", None),
    ]
    assert groq.calls == gemini.calls == []
    assert [a.to_dict()["outcome"] for a in result.attempts] == ["skipped", "skipped", "success"]


async def test_explicit_provider_is_the_only_one_tried(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", [transcript_from("groq")])
    openai = ScriptedTranscriber("openai", [failure("openai", "server")])
    local = ScriptedTranscriber("local", [transcript_from("local")])
    with pytest.raises(ProviderUnavailable) as caught:
        await run([groq, openai, local], audio_file, time_, breaker, explicit="OpenAI")
    assert groq.calls == local.calls == []
    assert [a["provider"] for a in caught.value.extra["attempts"]] == ["openai"]


async def test_explicit_unknown_or_unconfigured_provider_is_a_bad_request(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", configured=False)
    local = ScriptedTranscriber("local", [transcript_from("local")])
    with pytest.raises(UnknownProvider, match="whisperx") as unknown:
        await run([groq, local], audio_file, time_, breaker, explicit="whisperx")
    with pytest.raises(ProviderNotConfigured, match="groq") as unconfigured:
        await run([groq, local], audio_file, time_, breaker, explicit="groq")
    assert isinstance(unknown.value, BadRequest)
    assert isinstance(unconfigured.value, BadRequest)
    assert local.calls == []


async def test_throttled_provider_is_retried_once_when_the_wait_fits(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber(
        "groq", [failure("groq", "throttled", retry_after=5), transcript_from("groq")]
    )
    local = ScriptedTranscriber("local", [transcript_from("local")])
    result = await run([groq, local], audio_file, time_, breaker, budget=30)
    assert time_.slept == [5]
    assert result.transcript.provider == "groq"
    assert outcomes(result.attempts) == [("groq", "failed", "throttled"), ("groq", "success", None)]
    assert local.calls == []


async def test_throttled_provider_is_left_when_the_wait_exceeds_the_budget(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", [failure("groq", "throttled", retry_after=53)])
    local = ScriptedTranscriber("local", [transcript_from("local")])
    result = await run([groq, local], audio_file, time_, breaker, budget=30)
    assert time_.slept == []
    assert outcomes(result.attempts) == [
        ("groq", "failed", "throttled"),
        ("local", "success", None),
    ]


async def test_budget_left_counts_time_already_spent(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", [failure("groq", "throttled", retry_after=20)])
    deepgram = ScriptedTranscriber(
        "deepgram", [failure("deepgram", "throttled", retry_after=20), transcript_from("deepgram")]
    )
    local = ScriptedTranscriber("local", [transcript_from("local")])
    result = await run([groq, deepgram, local], audio_file, time_, breaker, budget=30)
    assert time_.slept == [20]
    assert result.transcript.provider == "local"
    assert [a.provider for a in result.attempts] == ["groq", "groq", "deepgram", "local"]


async def test_a_second_throttle_moves_on(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", [failure("groq", "throttled", retry_after=1)])
    local = ScriptedTranscriber("local", [transcript_from("local")])
    result = await run([groq, local], audio_file, time_, breaker)
    assert len(groq.calls) == 2
    assert time_.slept == [1]
    assert result.transcript.provider == "local"


@pytest.mark.parametrize(
    ("fault", "error_type"),
    [
        ("unsupported_language", UnsupportedLanguage),
        ("invalid_media", InvalidMedia),
        ("content_refused", ContentRefused),
    ],
)
async def test_callers_fault_stops_the_chain(
    audio_file: Path,
    time_: FakeTime,
    breaker: CircuitBreaker,
    fault: CallerFault,
    error_type: type[Exception],
) -> None:
    groq = ScriptedTranscriber("groq", [failure("groq", "caller", caller_fault=fault)])
    local = ScriptedTranscriber("local", [transcript_from("local")])
    with pytest.raises(error_type) as caught:
        await run([groq, local], audio_file, time_, breaker, language="xx")
    assert local.calls == []
    assert isinstance(caught.value, MediaAnalysisError)
    assert caught.value.extra["attempts"][0]["provider"] == "groq"


async def test_corrupt_verdict_is_ignored_when_our_probe_accepts_the_audio(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    deepgram = ScriptedTranscriber(
        "deepgram", [failure("deepgram", "caller", caller_fault="invalid_media", status=400)]
    )
    local = ScriptedTranscriber("local", [transcript_from("local")])
    probed: list[Path] = []

    async def probe_accepts(audio: Path) -> bool:
        probed.append(audio)
        return True

    result = await transcribe_with_fallback(
        FallbackChain(breaker, 30, time_.clock, time_.sleep),
        [deepgram, local],
        audio_file,
        mime_type="audio/wav",
        language=None,
        explicit=None,
        audio_probe=probe_accepts,
    )
    assert probed == [audio_file]
    assert outcomes(result.attempts) == [
        ("deepgram", "failed", "caller"),
        ("local", "success", None),
    ]


async def test_all_failing_lists_every_outcome(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", [failure("groq", "auth", status=401)])
    deepgram = ScriptedTranscriber("deepgram", configured=False)
    local = ScriptedTranscriber("local", [failure("local", "server")])
    with pytest.raises(ProviderUnavailable) as caught:
        await run([groq, deepgram, local], audio_file, time_, breaker)
    error = caught.value
    assert error.code == "providers_unavailable"
    assert "groq failed (auth, HTTP 401)" in error.detail
    assert "deepgram skipped (not_configured)" in error.detail
    assert "local failed (server)" in error.detail
    assert [a["outcome"] for a in error.extra["attempts"]] == ["failed", "skipped", "failed"]


async def test_open_circuit_skips_a_provider_until_the_cooldown_passes(
    audio_file: Path, time_: FakeTime, breaker: CircuitBreaker
) -> None:
    groq = ScriptedTranscriber("groq", [failure("groq", "server")] * 3 + [transcript_from("groq")])
    local = ScriptedTranscriber("local", [transcript_from("local")])
    for _ in range(3):
        await run([groq, local], audio_file, time_, breaker)
    skipped = await run([groq, local], audio_file, time_, breaker)
    assert outcomes(skipped.attempts)[0] == ("groq", "skipped", "circuit_open")
    assert len(groq.calls) == 3
    time_.now += 61
    recovered = await run([groq, local], audio_file, time_, breaker)
    assert recovered.transcript.provider == "groq"
    assert breaker.allows("groq")
