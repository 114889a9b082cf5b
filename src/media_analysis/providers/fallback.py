"""Try transcription providers in order until one succeeds (CONTRACT.md §6, PROVIDERS.md §6)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from media_analysis.errors import MediaAnalysisError, ProviderUnavailable
from media_analysis.providers.attempts import FallbackOutcome, ProviderAttempt
from media_analysis.providers.circuit_breaker import CircuitBreaker, Clock
from media_analysis.providers.failures import (
    ProviderFailure,
    ProviderNotConfigured,
    UnknownProvider,
    caller_error,
)
from media_analysis.providers.transcription import Transcriber, Transcript

Sleep = Callable[[float], Awaitable[None]]
# Returns True when our own probe (ffprobe) accepts the audio a provider called corrupt.
AudioProbe = Callable[[Path], Awaitable[bool]]
E = TypeVar("E", bound=MediaAnalysisError)
BREAKER_KINDS = frozenset({"auth", "throttled", "server", "timeout", "misconfigured"})


async def transcribe_with_fallback(
    transcribers: Sequence[Transcriber],
    audio: Path,
    *,
    mime_type: str,
    language: str | None,
    explicit: str | None,
    budget_seconds: float,
    breaker: CircuitBreaker,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
    audio_probe: AudioProbe | None = None,
) -> FallbackOutcome:
    """The first successful transcript and every attempt; a ``caller`` failure stops at once.

    A throttled provider is retried once when its retry hint fits in what is left of
    ``budget_seconds``. Raises ProviderUnavailable when nothing succeeded.
    """
    run = _FallbackRun(
        audio, mime_type, language, breaker, clock, sleep, audio_probe, clock() + budget_seconds
    )
    size = (await asyncio.to_thread(audio.stat)).st_size
    for transcriber in _candidates(transcribers, explicit):
        skipped = _skip(transcriber, size, breaker)
        if skipped is not None:
            run.attempts.append(skipped)
            continue
        transcript = await run.attempt(transcriber)
        if transcript is not None:
            return FallbackOutcome(transcript, tuple(run.attempts))
    raise run.unavailable()


def _candidates(transcribers: Sequence[Transcriber], explicit: str | None) -> list[Transcriber]:
    if explicit is None:
        return list(transcribers)
    wanted = explicit.strip().lower()
    matches = [t for t in transcribers if t.name == wanted]
    if not matches:
        enabled = ", ".join(t.name for t in transcribers) or "none"
        raise UnknownProvider(
            f"{explicit!r} is not an enabled transcription provider (enabled: {enabled})"
        )
    if not matches[0].configured:
        raise ProviderNotConfigured(f"transcription provider {wanted!r} has no API key configured")
    return matches[:1]


def _skip(transcriber: Transcriber, size: int, breaker: CircuitBreaker) -> ProviderAttempt | None:
    if not transcriber.configured:
        return ProviderAttempt.skipped(transcriber, "not_configured", "no API key configured")
    if size > transcriber.max_upload_bytes:
        why = f"{size} bytes exceed its {transcriber.max_upload_bytes}-byte limit"
        return ProviderAttempt.skipped(transcriber, "too_large", why)
    if not breaker.allows(transcriber.name):
        wait = breaker.seconds_until_retry(transcriber.name)
        why = f"failing repeatedly; next try in {wait:.0f} s"
        return ProviderAttempt.skipped(transcriber, "circuit_open", why)
    return None


@dataclass
class _FallbackRun:
    audio: Path
    mime_type: str
    language: str | None
    breaker: CircuitBreaker
    clock: Clock
    sleep: Sleep
    audio_probe: AudioProbe | None
    deadline: float
    attempts: list[ProviderAttempt] = field(default_factory=list)

    async def attempt(self, transcriber: Transcriber) -> Transcript | None:
        """One call, plus one retry after a throttling hint that fits the budget."""
        for retry in (False, True):
            try:
                return await self._call(transcriber)
            except ProviderFailure as failure:
                await self._stop_if_callers_fault(failure)
                if retry or not self._can_wait_for(failure):
                    return None
                await self.sleep(failure.retry_after or 0.0)
        return None

    async def _call(self, transcriber: Transcriber) -> Transcript:
        started = self.clock()
        try:
            transcript = await transcriber.transcribe(
                self.audio, mime_type=self.mime_type, language=self.language
            )
        except ProviderFailure as failure:
            latency = self._elapsed_ms(started)
            self.attempts.append(ProviderAttempt.failed(transcriber, failure, latency))
            if failure.kind in BREAKER_KINDS:
                self.breaker.record_failure(transcriber.name)
            raise
        self.attempts.append(ProviderAttempt.succeeded(transcriber, self._elapsed_ms(started)))
        self.breaker.record_success(transcriber.name)
        return transcript

    async def _stop_if_callers_fault(self, failure: ProviderFailure) -> None:
        if failure.kind != "caller":
            return
        # PROVIDERS.md §6: a provider calling the audio corrupt is only our caller's fault
        # when our own probe agrees.
        if await self._probe_accepts_audio(failure):
            return
        raise self._with_attempts(caller_error(failure))

    async def _probe_accepts_audio(self, failure: ProviderFailure) -> bool:
        if failure.caller_fault != "invalid_media" or self.audio_probe is None:
            return False
        return await self.audio_probe(self.audio)

    def _can_wait_for(self, failure: ProviderFailure) -> bool:
        if failure.kind != "throttled" or failure.retry_after is None:
            return False
        return failure.retry_after <= self.deadline - self.clock()

    def _elapsed_ms(self, started: float) -> int:
        return round((self.clock() - started) * 1000)

    def unavailable(self) -> ProviderUnavailable:
        outcomes = "; ".join(attempt.summary() for attempt in self.attempts) or "none enabled"
        error = ProviderUnavailable(f"no transcription provider succeeded: {outcomes}")
        return self._with_attempts(error)

    def _with_attempts(self, error: E) -> E:
        error.extra["attempts"] = [attempt.to_dict() for attempt in self.attempts]
        return error
