"""Transcript storage round trip, re-basing, failure messages and retry hints."""

from __future__ import annotations

import json

import httpx
import pytest

from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.rate_limits import (
    parse_go_duration,
    parse_protobuf_duration,
    ratelimit_reset_hint,
    retry_after_header,
)
from media_analysis.providers.transcription import Segment, Transcript, Word
from media_analysis.providers.whisper_languages import language_code

TRANSCRIPT = Transcript(
    text="Hello world.",
    language="en",
    confidence=0.87,
    duration=3.5,
    words=(Word("Hello", 0.2, 0.6, 0.99), Word("world.", 0.7, 1.1, None)),
    segments=(Segment(0.2, 1.1, "Hello world."),),
    provider="groq",
    model="whisper-large-v3-turbo",
)


def test_round_trips_through_json() -> None:
    stored = json.loads(json.dumps(TRANSCRIPT.to_dict()))
    assert Transcript.from_dict(stored) == TRANSCRIPT


def test_absent_words_stay_absent() -> None:
    without_words = Transcript("x", None, None, None, None, (), "gemini", "gemini-2.5-flash")
    stored = without_words.to_dict()
    assert stored["words"] is None
    assert Transcript.from_dict(stored) == without_words


def test_shifted_moves_every_timestamp() -> None:
    moved = TRANSCRIPT.shifted(30.0)
    assert moved.words is not None
    assert [(w.start, w.end) for w in moved.words] == [(30.2, 30.6), (30.7, 31.1)]
    assert moved.segments[0].start == pytest.approx(30.2)
    assert moved.text == TRANSCRIPT.text
    assert moved.duration == TRANSCRIPT.duration


def test_failure_message_redacts_the_key_and_key_like_tokens() -> None:
    secret = "my-very-secret-provider-key"
    failure = ProviderFailure(
        "openai",
        "auth",
        f"key {secret} rejected; Incorrect API key provided: sk-proj-****abcd.",
        status=401,
        secret=secret,
    )
    for text in (str(failure), repr(failure), failure.message):
        assert secret not in text
        assert "sk-proj" not in text
    assert "openai auth (HTTP 401)" in str(failure)


def test_retry_after_header_in_seconds_or_http_date() -> None:
    assert retry_after_header(httpx.Headers({"retry-after": "12"})) == 12.0
    assert retry_after_header(httpx.Headers({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0
    assert retry_after_header(httpx.Headers({})) is None


def test_ratelimit_reset_uses_the_exhausted_limit() -> None:
    headers = httpx.Headers(
        {
            "x-ratelimit-remaining-requests": "5",
            "x-ratelimit-reset-requests": "2s",
            "x-ratelimit-remaining-tokens": "0",
            "x-ratelimit-reset-tokens": "6m0s",
        }
    )
    assert ratelimit_reset_hint(headers) == 360.0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("12ms", 0.012), ("6m0s", 360.0), ("1h2m3.5s", 3723.5), ("7.66s", 7.66), ("soon", None)],
)
def test_go_durations(text: str, seconds: float | None) -> None:
    assert parse_go_duration(text) == (pytest.approx(seconds) if seconds is not None else None)


def test_protobuf_durations() -> None:
    assert parse_protobuf_duration("53s") == 53.0
    assert parse_protobuf_duration("0.25s") == 0.25
    assert parse_protobuf_duration(53) is None


def test_whisper_language_names_become_codes() -> None:
    assert language_code("english") == "en"
    assert language_code("English") == "en"
    assert language_code("fr") == "fr"
    assert language_code("") is None
