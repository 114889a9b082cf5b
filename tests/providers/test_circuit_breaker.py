"""Consecutive failures open a provider's circuit; the cool-down half-opens it."""

from __future__ import annotations

from media_analysis.providers.circuit_breaker import CircuitBreaker
from tests.providers.scripted import FakeTime


def breaker_at(time_: FakeTime) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, cooldown_seconds=60, clock=time_.clock)


def test_opens_after_consecutive_failures_only() -> None:
    time_ = FakeTime()
    breaker = breaker_at(time_)
    breaker.record_failure("groq")
    breaker.record_failure("groq")
    breaker.record_success("groq")
    breaker.record_failure("groq")
    breaker.record_failure("groq")
    assert breaker.allows("groq")
    breaker.record_failure("groq")
    assert not breaker.allows("groq")
    assert breaker.allows("deepgram")
    assert breaker.seconds_until_retry("groq") == 60


def test_half_open_lets_one_trial_through() -> None:
    time_ = FakeTime()
    breaker = breaker_at(time_)
    for _ in range(3):
        breaker.record_failure("groq")
    time_.now += 60
    assert breaker.allows("groq")
    assert not breaker.allows("groq")
    breaker.record_failure("groq")
    time_.now += 59
    assert not breaker.allows("groq")
    time_.now += 1
    assert breaker.allows("groq")
    breaker.record_success("groq")
    assert breaker.allows("groq")
    assert breaker.allows("groq")
