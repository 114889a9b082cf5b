"""Parse the OpenAI transcription body (``json`` and ``verbose_json``) that Groq also speaks."""

from __future__ import annotations

import math
from typing import Any

from media_analysis.providers.transcription import Segment, Transcript, Word
from media_analysis.providers.whisper_languages import language_code


def transcript_from_whisper_json(
    body: dict[str, Any],
    *,
    provider: str,
    model: str,
    requested_language: str | None,
    with_timestamps: bool,
) -> Transcript:
    """Raises KeyError/TypeError/ValueError when the body is not the documented shape."""
    text = body["text"]
    if not isinstance(text, str):
        raise TypeError("text is not a string")
    raw_segments = body.get("segments") or []
    return Transcript(
        text=text.strip(),
        language=language_code(body.get("language")) or requested_language,
        confidence=confidence_from_logprobs(raw_segments),
        duration=_duration(body),
        words=_words(body) if with_timestamps else None,
        segments=tuple(_segment(raw) for raw in raw_segments),
        provider=provider,
        model=model,
    )


def confidence_from_logprobs(segments: list[dict[str, Any]]) -> float | None:
    """exp(mean avg_logprob): Whisper gives no per-word confidence, this is the usual proxy."""
    logprobs = [float(s["avg_logprob"]) for s in segments if s.get("avg_logprob") is not None]
    if not logprobs:
        return None
    return min(1.0, math.exp(sum(logprobs) / len(logprobs)))


def _words(body: dict[str, Any]) -> tuple[Word, ...] | None:
    raw_words = body.get("words")
    if raw_words is None:
        return None
    return tuple(
        Word(text=str(raw["word"]).strip(), start=float(raw["start"]), end=float(raw["end"]))
        for raw in raw_words
    )


def _segment(raw: dict[str, Any]) -> Segment:
    return Segment(start=float(raw["start"]), end=float(raw["end"]), text=str(raw["text"]).strip())


def _duration(body: dict[str, Any]) -> float | None:
    if body.get("duration") is not None:
        return float(body["duration"])
    usage = body.get("usage")
    if isinstance(usage, dict) and usage.get("type") == "duration":
        return float(usage["seconds"])
    return None
