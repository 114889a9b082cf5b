"""Transcribe a long recording as overlapping chunks and stitch the pieces back together."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path

from media_analysis.providers.transcription import Segment, Transcript, Word

# Timestamps of the same word seen from two chunks differ by a few milliseconds.
SEAM_TOLERANCE = 0.05


async def transcribe_chunks(
    chunks: Sequence[tuple[Path, float]],
    transcribe_one: Callable[[Path], Awaitable[Transcript]],
    *,
    concurrency: int,
) -> Transcript:
    """``chunks`` are (file, start offset in seconds); at most ``concurrency`` run at once.

    The first failing chunk cancels the others and its exception is raised as is.
    """
    if not chunks:
        raise ValueError("no chunks to transcribe")
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def transcribe_bounded(path: Path) -> Transcript:
        async with semaphore:
            return await transcribe_one(path)

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [
                (offset, group.create_task(transcribe_bounded(path))) for path, offset in chunks
            ]
    except ExceptionGroup as failures:
        # The first chunk's error is the caller's error (e.g. ProviderUnavailable), not a group.
        raise failures.exceptions[0] from None
    return merge_transcripts([(offset, task.result()) for offset, task in tasks])


def merge_transcripts(parts: Sequence[tuple[float, Transcript]]) -> Transcript:
    """Re-base each (offset, transcript) and join them, dropping words repeated at seams."""
    ordered = sorted(parts, key=lambda part: part[0])
    shifted = [transcript.shifted(offset) for offset, transcript in ordered]
    words: list[Word] | None = [] if all(t.words is not None for t in shifted) else None
    segments: list[Segment] = []
    texts: list[str] = []
    for part in shifted:
        new_words = _words_after(words[-1].end, part.words or ()) if words else part.words or ()
        new_segments = _segments_after(segments[-1].end if segments else None, part, new_words)
        texts.append(_part_text(part, new_words, new_segments, first=not texts))
        segments.extend(new_segments)
        if words is not None:
            words.extend(new_words)
    last_offset, last = ordered[-1]
    return Transcript(
        text=" ".join(text for text in texts if text),
        language=_most_common(t.language for t in shifted),
        confidence=_weighted_confidence(shifted),
        duration=None if last.duration is None else last_offset + last.duration,
        words=None if words is None else tuple(words),
        segments=tuple(segments),
        provider=_distinct(t.provider for t in shifted),
        model=_distinct(t.model for t in shifted),
    )


def _words_after(seam: float, words: Iterable[Word]) -> tuple[Word, ...]:
    return tuple(word for word in words if word.start >= seam - SEAM_TOLERANCE)


def _segments_after(
    seam: float | None, part: Transcript, kept_words: Sequence[Word]
) -> list[Segment]:
    if seam is None:
        return list(part.segments)
    kept: list[Segment] = []
    for segment in part.segments:
        if segment.end <= seam + SEAM_TOLERANCE:
            continue
        if segment.start < seam - SEAM_TOLERANCE:
            segment = _clipped(segment, seam, kept_words if part.words is not None else None)
        kept.append(segment)
    return kept


def _clipped(segment: Segment, seam: float, words: Sequence[Word] | None) -> Segment:
    """The part of a segment after the seam; its text comes from the words kept there."""
    if words is None:
        return Segment(start=seam, end=segment.end, text=segment.text)
    inside = [w.text for w in words if segment.start <= w.start < segment.end]
    return Segment(start=seam, end=segment.end, text=" ".join(inside))


def _part_text(
    part: Transcript, words: Sequence[Word], segments: Sequence[Segment], *, first: bool
) -> str:
    if first:
        return part.text
    if part.segments:
        return " ".join(segment.text for segment in segments if segment.text)
    if part.words is not None:
        return " ".join(word.text for word in words)
    return part.text


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(value for value in values if value)
    return counts.most_common(1)[0][0] if counts else None


def _weighted_confidence(parts: Sequence[Transcript]) -> float | None:
    rated = [(t.confidence, t.duration or 1.0) for t in parts if t.confidence is not None]
    total_weight = sum(weight for _, weight in rated)
    if not rated or total_weight <= 0:
        return None
    return sum(confidence * weight for confidence, weight in rated) / total_weight


def _distinct(values: Iterable[str]) -> str:
    return "+".join(dict.fromkeys(values))
