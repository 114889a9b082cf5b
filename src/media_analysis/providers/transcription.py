"""What every transcription provider takes and returns."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from media_analysis.providers.attempts import Provider


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    confidence: float | None = None

    def shifted(self, offset: float) -> Word:
        return replace(self, start=self.start + offset, end=self.end + offset)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Word:
        confidence = data.get("confidence")
        return cls(
            text=str(data["text"]),
            start=float(data["start"]),
            end=float(data["end"]),
            confidence=None if confidence is None else float(confidence),
        )


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str

    def shifted(self, offset: float) -> Segment:
        return replace(self, start=self.start + offset, end=self.end + offset)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        return cls(start=float(data["start"]), end=float(data["end"]), text=str(data["text"]))


@dataclass(frozen=True)
class Transcript:
    """A transcript; ``words`` is None when the provider gives no word timings."""

    text: str
    language: str | None
    confidence: float | None
    duration: float | None
    words: tuple[Word, ...] | None
    segments: tuple[Segment, ...]
    provider: str
    model: str

    def shifted(self, offset: float) -> Transcript:
        """The same transcript with every timestamp moved ``offset`` seconds later."""
        words = None if self.words is None else tuple(w.shifted(offset) for w in self.words)
        segments = tuple(s.shifted(offset) for s in self.segments)
        return replace(self, words=words, segments=segments)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "confidence": self.confidence,
            "duration": self.duration,
            "words": None if self.words is None else [w.to_dict() for w in self.words],
            "segments": [s.to_dict() for s in self.segments],
            "provider": self.provider,
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        words = data.get("words")
        return cls(
            text=str(data["text"]),
            language=data.get("language"),
            confidence=_optional_float(data.get("confidence")),
            duration=_optional_float(data.get("duration")),
            words=None if words is None else tuple(Word.from_dict(w) for w in words),
            segments=tuple(Segment.from_dict(s) for s in data.get("segments", ())),
            provider=str(data["provider"]),
            model=str(data["model"]),
        )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


class Transcriber(Provider, Protocol):
    """A speech-to-text provider."""

    @property
    def max_upload_bytes(self) -> int: ...

    async def transcribe(self, audio: Path, *, mime_type: str, language: str | None) -> Transcript:
        """Transcribe ``audio``; raises ProviderFailure on any provider-side problem."""
        ...
