"""Stitching chunk transcripts: re-based timestamps, no doubled or lost words at seams."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from media_analysis.providers.chunks import merge_transcripts, transcribe_chunks
from media_analysis.providers.transcription import Segment, Transcript, Word


def chunk(
    words: list[tuple[str, float, float]],
    *,
    duration: float = 10.0,
    with_words: bool = True,
    provider: str = "groq",
    confidence: float | None = 0.8,
) -> Transcript:
    parsed = tuple(Word(text, start, end, 0.9) for text, start, end in words)
    segments = (Segment(parsed[0].start, parsed[-1].end, " ".join(w.text for w in parsed)),)
    return Transcript(
        text=" ".join(w.text for w in parsed),
        language="en",
        confidence=confidence,
        duration=duration,
        words=parsed if with_words else None,
        segments=segments if parsed else (),
        provider=provider,
        model=f"{provider}-model",
    )


FIRST = chunk([("one", 0.0, 0.5), ("two", 0.6, 1.0), ("three", 9.1, 9.6), ("four", 9.7, 10.0)])
# Starts at 9.0 s: "three" and "four" are heard again, then the chunk goes on.
SECOND = chunk([("three", 0.1, 0.6), ("four", 0.7, 1.0), ("five", 1.2, 1.6), ("six", 9.5, 9.9)])
THIRD = chunk([("six", 0.4, 0.9), ("seven", 1.0, 1.4)], duration=2.0)


def test_words_are_rebased_and_seam_duplicates_dropped() -> None:
    merged = merge_transcripts([(0.0, FIRST), (9.0, SECOND), (18.1, THIRD)])
    assert merged.words is not None
    assert [w.text for w in merged.words] == [
        "one", "two", "three", "four", "five", "six", "seven",
    ]  # fmt: skip
    assert [w.start for w in merged.words] == pytest.approx([0.0, 0.6, 9.1, 9.7, 10.2, 18.5, 19.1])
    assert merged.text == "one two three four five six seven"
    assert merged.duration == pytest.approx(20.1)
    assert merged.language == "en"


def test_segments_straddling_a_seam_keep_only_new_words() -> None:
    merged = merge_transcripts([(0.0, FIRST), (9.0, SECOND)])
    assert [(s.start, s.text) for s in merged.segments] == [
        (0.0, "one two three four"),
        (10.0, "five six"),
    ]


def test_order_comes_from_offsets_not_arrival() -> None:
    merged = merge_transcripts([(9.0, SECOND), (0.0, FIRST)])
    assert merged.words is not None
    assert [w.text for w in merged.words][:4] == ["one", "two", "three", "four"]


def test_words_unknown_in_any_chunk_means_unknown_overall() -> None:
    merged = merge_transcripts([(0.0, FIRST), (9.0, chunk([("x", 2.0, 2.5)], with_words=False))])
    assert merged.words is None
    assert merged.text == "one two three four x"


def test_silent_chunk_adds_nothing() -> None:
    silent = Transcript("", "en", None, 10.0, (), (), "local", "tiny.en")
    merged = merge_transcripts([(0.0, FIRST), (9.0, silent), (18.0, THIRD)])
    assert merged.words is not None
    assert [w.text for w in merged.words] == ["one", "two", "three", "four", "six", "seven"]
    assert merged.text == "one two three four six seven"
    assert merged.provider == "groq+local"


def test_confidence_is_weighted_by_duration() -> None:
    long = chunk([("a", 0.0, 1.0)], duration=30.0, confidence=0.9)
    short = chunk([("b", 0.0, 1.0)], duration=10.0, confidence=0.5)
    merged = merge_transcripts([(0.0, long), (30.0, short)])
    assert merged.confidence == pytest.approx(0.8)


async def test_chunks_run_concurrently_within_the_bound(tmp_path: Path) -> None:
    parts = [FIRST, SECOND, THIRD]
    chunks = [(tmp_path / f"{i}.wav", offset) for i, offset in enumerate([0.0, 9.0, 18.1])]
    running, peak = 0, 0

    async def transcribe_one(path: Path) -> Transcript:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        index = int(path.stem)
        await asyncio.sleep(0.03 * (3 - index))
        running -= 1
        return parts[index]

    merged = await transcribe_chunks(chunks, transcribe_one, concurrency=2)
    assert peak == 2
    assert merged == merge_transcripts([(0.0, FIRST), (9.0, SECOND), (18.1, THIRD)])


async def test_a_failing_chunk_fails_the_whole(tmp_path: Path) -> None:
    async def transcribe_one(path: Path) -> Transcript:
        raise RuntimeError(f"cannot read {path.name}")

    with pytest.raises(RuntimeError, match=r"0\.wav"):
        await transcribe_chunks([(tmp_path / "0.wav", 0.0)], transcribe_one, concurrency=1)
