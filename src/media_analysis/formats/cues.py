"""Subtitle cues from a transcript: its segments, or its words grouped into short lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from media_analysis.providers.transcription import Transcript, Word

MAX_CUE_SECONDS = 7.0
MAX_CUE_CHARS = 80
MIN_CUE_SECONDS = 0.001
SENTENCE_ENDS = (".", "?", "!")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def transcript_cues(transcript: Transcript) -> list[Cue]:
    """Cues in time order, each with some text and a positive duration."""
    if transcript.segments:
        cues = [Cue(s.start, s.end, s.text) for s in transcript.segments]
    elif transcript.words:
        cues = cues_from_words(transcript.words)
    else:
        cues = [Cue(0.0, transcript.duration or 0.0, transcript.text)]
    return _tidy(cues)


def cues_from_words(words: Sequence[Word]) -> list[Cue]:
    """Consecutive words up to ~7 s and ~80 characters per cue; a sentence end closes one."""
    cues: list[Cue] = []
    pending: list[Word] = []
    for word in words:
        if pending and not _fits(pending, word):
            cues.append(_cue_of(pending))
            pending = []
        pending.append(word)
        if word.text.endswith(SENTENCE_ENDS):
            cues.append(_cue_of(pending))
            pending = []
    if pending:
        cues.append(_cue_of(pending))
    return cues


def _fits(pending: Sequence[Word], word: Word) -> bool:
    too_long = word.end - pending[0].start > MAX_CUE_SECONDS
    too_wide = len(_joined(pending)) + 1 + len(word.text) > MAX_CUE_CHARS
    return not (too_long or too_wide)


def _cue_of(words: Sequence[Word]) -> Cue:
    return Cue(words[0].start, words[-1].end, _joined(words))


def _joined(words: Iterable[Word]) -> str:
    return " ".join(word.text.strip() for word in words)


def _tidy(cues: Iterable[Cue]) -> list[Cue]:
    tidy: list[Cue] = []
    for cue in sorted(cues, key=lambda cue: cue.start):
        text = " ".join(cue.text.split())
        if not text:
            continue
        start = max(0.0, cue.start)
        tidy.append(Cue(start, max(cue.end, start + MIN_CUE_SECONDS), text))
    return tidy
