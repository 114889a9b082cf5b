"""In-memory transcribers and a fake clock for the fallback tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from media_analysis.providers.failures import CallerFault, FailureKind, ProviderFailure
from media_analysis.providers.transcription import Transcript


def transcript_from(provider: str, text: str = "hello there") -> Transcript:
    return Transcript(
        text=text,
        language="en",
        confidence=0.9,
        duration=2.0,
        words=None,
        segments=(),
        provider=provider,
        model=f"{provider}-model",
    )


def failure(
    provider: str,
    kind: FailureKind,
    *,
    retry_after: float | None = None,
    status: int | None = None,
    caller_fault: CallerFault | None = None,
) -> ProviderFailure:
    return ProviderFailure(
        provider,
        kind,
        f"{provider} said no",
        retry_after=retry_after,
        status=status,
        caller_fault=caller_fault,
    )


@dataclass
class ScriptedTranscriber:
    """Answers each call with the next item of ``script`` (the last one repeats)."""

    name: str
    script: list[Transcript | ProviderFailure] = field(default_factory=list)
    configured: bool = True
    max_upload_bytes: int = 25 * 1024 * 1024
    calls: list[str | None] = field(default_factory=list)

    @property
    def model(self) -> str:
        return f"{self.name}-model"

    async def transcribe(self, audio: Path, *, mime_type: str, language: str | None) -> Transcript:
        self.calls.append(language)
        outcome = self.script[min(len(self.calls), len(self.script)) - 1]
        if isinstance(outcome, ProviderFailure):
            raise outcome
        return outcome


@dataclass
class FakeTime:
    """A clock that only moves when someone sleeps (or a test advances it)."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
