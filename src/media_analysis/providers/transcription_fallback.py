"""Transcription through the fallback chain: size checks and our own verdict on the audio."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from media_analysis.providers.attempts import ProviderAttempt
from media_analysis.providers.chain import FallbackChain
from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.transcription import Transcriber, Transcript

# Returns True when our own probe (ffprobe) accepts the audio a provider called corrupt.
AudioProbe = Callable[[Path], Awaitable[bool]]


@dataclass(frozen=True)
class FallbackOutcome:
    transcript: Transcript
    attempts: tuple[ProviderAttempt, ...]


async def transcribe_with_fallback(
    chain: FallbackChain,
    transcribers: Sequence[Transcriber],
    audio: Path,
    *,
    mime_type: str,
    language: str | None,
    explicit: str | None,
    audio_probe: AudioProbe | None = None,
) -> FallbackOutcome:
    """The first transcript and every attempt; raises the caller's error when it is theirs.

    Raises ProviderUnavailable when no provider succeeded.
    """
    size = (await asyncio.to_thread(audio.stat)).st_size

    async def transcribe(transcriber: Transcriber) -> Transcript:
        return await transcriber.transcribe(audio, mime_type=mime_type, language=language)

    def too_large(transcriber: Transcriber) -> ProviderAttempt | None:
        if size <= transcriber.max_upload_bytes:
            return None
        why = f"{size} bytes exceed its {transcriber.max_upload_bytes}-byte limit"
        return ProviderAttempt.skipped(transcriber, "too_large", why)

    async def blame_caller(failure: ProviderFailure) -> bool:
        # PROVIDERS.md §6: a provider calling the audio corrupt is only our caller's
        # fault when our own probe agrees.
        if failure.caller_fault != "invalid_media" or audio_probe is None:
            return True
        return not await audio_probe(audio)

    outcome = await chain.run(
        transcribers,
        transcribe,
        service="transcription",
        explicit=explicit,
        skip=too_large,
        blame_caller=blame_caller,
    )
    return FallbackOutcome(outcome.answer_or_raise("transcription"), outcome.attempts)
