"""The fallback chain asking vision providers, against their fakes over loopback HTTP."""

from __future__ import annotations

import time

import pytest

from media_analysis.providers.attempts import ProviderAttempt
from media_analysis.providers.chain import ChainOutcome, FallbackChain
from media_analysis.providers.circuit_breaker import CircuitBreaker
from media_analysis.providers.minimax import MiniMaxConfig, MiniMaxVision
from media_analysis.providers.openai_vision import OpenAICompatibleVision, OpenAIVisionConfig
from media_analysis.providers.vision import VisionAnalyzer, VisionAnswer, VisionRequest
from media_analysis.providers.vision_fallback import analyze_with_fallback
from tests.fakes.vision import FakeMiniMax, FakeOpenAIChat, VisionFakeError
from tests.providers.conftest import MINIMAX_KEY, OPENAI_VISION_KEY
from tests.providers.scripted import FakeTime


@pytest.fixture
def time_() -> FakeTime:
    return FakeTime()


def chain(time_: FakeTime, budget_seconds: float) -> FallbackChain:
    return FallbackChain(
        CircuitBreaker(clock=time_.clock), budget_seconds, time_.clock, time_.sleep
    )


async def ask(
    analyzers: list[VisionAnalyzer],
    request: VisionRequest,
    time_: FakeTime,
    *,
    budget_seconds: float,
) -> tuple[VisionAnswer | None, list[dict[str, object]]]:
    outcome: ChainOutcome[VisionAnswer] = await analyze_with_fallback(
        chain(time_, budget_seconds), analyzers, request
    )
    assert all(isinstance(attempt, ProviderAttempt) for attempt in outcome.attempts)
    return outcome.answer, [attempt.to_dict() for attempt in outcome.attempts]


def providers(
    minimax_fake: FakeMiniMax, openai_vision_fake: FakeOpenAIChat, *, minimax_key: str = MINIMAX_KEY
) -> list[VisionAnalyzer]:
    return [
        MiniMaxVision(MiniMaxConfig(api_key=minimax_key, base_url=minimax_fake.base_url)),
        OpenAICompatibleVision(
            OpenAIVisionConfig(
                base_url=openai_vision_fake.base_url,
                model="qwen2.5-vl-7b",
                api_key=OPENAI_VISION_KEY,
            )
        ),
    ]


async def test_first_provider_answers(
    minimax_fake: FakeMiniMax,
    openai_vision_fake: FakeOpenAIChat,
    vision_request: VisionRequest,
    time_: FakeTime,
) -> None:
    answer, attempts = await ask(
        providers(minimax_fake, openai_vision_fake), vision_request, time_, budget_seconds=30
    )

    assert answer is not None and answer.provider == "minimax"
    assert [a["outcome"] for a in attempts] == ["success"]
    assert attempts[0]["model"] == "MiniMax-Text-01"
    assert attempts[0]["error_code"] is None
    assert openai_vision_fake.requests == []


async def test_unconfigured_provider_is_skipped(
    minimax_fake: FakeMiniMax,
    openai_vision_fake: FakeOpenAIChat,
    vision_request: VisionRequest,
    time_: FakeTime,
) -> None:
    answer, attempts = await ask(
        providers(minimax_fake, openai_vision_fake, minimax_key=""),
        vision_request,
        time_,
        budget_seconds=30,
    )

    assert answer is not None and answer.provider == "openai_compatible"
    assert [(a["provider"], a["outcome"]) for a in attempts] == [
        ("minimax", "skipped"),
        ("openai_compatible", "success"),
    ]
    assert attempts[0]["error_code"] == "not_configured"
    assert minimax_fake.requests == []


async def test_falls_through_on_account_and_server_errors(
    minimax_fake: FakeMiniMax,
    openai_vision_fake: FakeOpenAIChat,
    vision_request: VisionRequest,
    time_: FakeTime,
) -> None:
    minimax_fake.error = VisionFakeError.BASE_RESP
    minimax_fake.status_code = 1008  # insufficient balance

    answer, attempts = await ask(
        providers(minimax_fake, openai_vision_fake), vision_request, time_, budget_seconds=30
    )

    assert answer is not None and answer.provider == "openai_compatible"
    failed = attempts[0]
    assert (failed["outcome"], failed["error_code"]) == ("failed", "auth")
    assert "1008" in failed["error_message"]
    assert isinstance(failed["latency_ms"], int)


async def test_content_refusal_stops_the_search(
    minimax_fake: FakeMiniMax,
    openai_vision_fake: FakeOpenAIChat,
    vision_request: VisionRequest,
    time_: FakeTime,
) -> None:
    minimax_fake.error = VisionFakeError.BASE_RESP
    minimax_fake.status_code = 1026

    answer, attempts = await ask(
        providers(minimax_fake, openai_vision_fake), vision_request, time_, budget_seconds=30
    )

    assert answer is None
    assert [a["error_code"] for a in attempts] == ["caller"]
    assert openai_vision_fake.requests == []


async def test_retry_after_within_budget_is_honoured_once(
    minimax_fake: FakeMiniMax,
    openai_vision_fake: FakeOpenAIChat,
    vision_request: VisionRequest,
    time_: FakeTime,
) -> None:
    minimax_fake.error = VisionFakeError.HTTP_429
    minimax_fake.retry_after = "0.2"
    minimax_fake.error_count = 1

    answer, attempts = await ask(
        providers(minimax_fake, openai_vision_fake), vision_request, time_, budget_seconds=30
    )

    assert answer is not None and answer.provider == "minimax"
    assert [a["outcome"] for a in attempts] == ["failed", "success"]
    assert time_.slept == [0.2]
    assert len(minimax_fake.requests) == 2


async def test_retry_after_beyond_budget_moves_on(
    minimax_fake: FakeMiniMax,
    openai_vision_fake: FakeOpenAIChat,
    vision_request: VisionRequest,
    time_: FakeTime,
) -> None:
    minimax_fake.error = VisionFakeError.HTTP_429
    minimax_fake.retry_after = "120"

    answer, attempts = await ask(
        providers(minimax_fake, openai_vision_fake), vision_request, time_, budget_seconds=10
    )

    assert answer is not None and answer.provider == "openai_compatible"
    assert len(minimax_fake.requests) == 1
    assert attempts[0]["error_code"] == "throttled"


async def test_all_failing_returns_no_answer_for_local_analysis(
    minimax_fake: FakeMiniMax,
    openai_vision_fake: FakeOpenAIChat,
    vision_request: VisionRequest,
    time_: FakeTime,
) -> None:
    minimax_fake.error = VisionFakeError.HTTP_500
    openai_vision_fake.error = VisionFakeError.HTTP_404

    answer, attempts = await ask(
        providers(minimax_fake, openai_vision_fake), vision_request, time_, budget_seconds=30
    )

    assert answer is None
    assert [(a["outcome"], a["error_code"]) for a in attempts] == [
        ("failed", "server"),
        ("failed", "misconfigured"),
    ]


async def test_budget_bounds_a_slow_provider(
    minimax_fake: FakeMiniMax, openai_vision_fake: FakeOpenAIChat, vision_request: VisionRequest
) -> None:
    minimax_fake.error = VisionFakeError.SLOW
    minimax_fake.delay_seconds = 3.0

    started = time.monotonic()
    outcome = await analyze_with_fallback(
        FallbackChain(CircuitBreaker(), 0.5),
        providers(minimax_fake, openai_vision_fake),
        vision_request,
    )

    assert time.monotonic() - started < 2.0
    assert outcome.answer is None
    assert [(a.outcome, a.error_code) for a in outcome.attempts] == [
        ("failed", "timeout"),
        ("skipped", "budget_exhausted"),
    ]


async def test_refusal_is_told_apart_from_nobody_answering(
    minimax_fake: FakeMiniMax, openai_vision_fake: FakeOpenAIChat, vision_request: VisionRequest
) -> None:
    minimax_fake.error = VisionFakeError.BASE_RESP
    minimax_fake.status_code = 1027
    time_ = FakeTime()

    outcome = await analyze_with_fallback(
        chain(time_, 30), providers(minimax_fake, openai_vision_fake), vision_request
    )

    assert outcome.answer is None
    assert outcome.refusal is not None and outcome.refusal.provider_code == "1027"
    assert outcome.refusal.caller_fault == "content_refused"
    assert outcome.attempts[0].error_message is not None
    assert outcome.attempts[0].error_message.endswith("(1027)")


async def test_a_failing_provider_is_left_alone_until_its_cooldown_passes(
    minimax_fake: FakeMiniMax, openai_vision_fake: FakeOpenAIChat, vision_request: VisionRequest
) -> None:
    minimax_fake.error = VisionFakeError.HTTP_500
    time_ = FakeTime()
    shared = chain(time_, 30)
    analyzers = providers(minimax_fake, openai_vision_fake)

    for _ in range(3):
        assert (await analyze_with_fallback(shared, analyzers, vision_request)).answer
    skipped = await analyze_with_fallback(shared, analyzers, vision_request)
    minimax_fake.error = None
    time_.now += 61
    recovered = await analyze_with_fallback(shared, analyzers, vision_request)

    assert [(a.provider, a.outcome, a.error_code) for a in skipped.attempts] == [
        ("minimax", "skipped", "circuit_open"),
        ("openai_compatible", "success", None),
    ]
    assert len(minimax_fake.requests) == 4
    assert recovered.answer is not None and recovered.answer.provider == "minimax"


async def test_no_providers_at_all(time_: FakeTime) -> None:
    request = VisionRequest(prompt="?", images=[])
    assert await ask([], request, time_, budget_seconds=1) == (None, [])
