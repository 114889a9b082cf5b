"""Transcription: speech audio prepared once, cut at silences, sent through the provider chain.

``transcribe_media`` is the reusable step that every pipeline with speech calls;
``run_transcribe`` is the ``audio.transcribe`` job built on it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from media_analysis.db.models import Transcription
from media_analysis.errors import MediaAnalysisError
from media_analysis.jobs.registry import JobContext
from media_analysis.media.audio import PreparedAudio, compress_for_upload
from media_analysis.media.audio_chunks import AudioChunk, split_at_silences
from media_analysis.media.gpu_audio import prepare_speech_audio
from media_analysis.media.info import MediaInfo
from media_analysis.media.probe import ensure_audio, probe_media
from media_analysis.pipelines.ingest import media_facts, obtain_original
from media_analysis.pipelines.specs.audio import TRANSCRIBE, SpeechParameters, TranscribeResult
from media_analysis.pipelines.specs.parts import TranscriptSummary
from media_analysis.pipelines.transcripts import transcription_row
from media_analysis.providers.chunks import transcribe_chunks
from media_analysis.providers.transcription import Transcriber, Transcript
from media_analysis.providers.transcription_fallback import transcribe_with_fallback
from media_analysis.storage import JobFiles

CHUNK_CONCURRENCY = 3
# Chunks are cut from 16-bit WAV; when nothing configured has an upload limit, this caps them.
UNLIMITED_CHUNK_BYTES = 2**31
LOCAL_PROVIDER = "local"


@dataclass(frozen=True)
class TranscriptionOptions:
    """What a job asks of transcription: ``provider`` alone, ``language``, ``normalize``."""

    provider: str | None = None
    language: str | None = None
    normalize: bool = True

    @classmethod
    def from_parameters(cls, parameters: SpeechParameters) -> TranscriptionOptions:
        return cls(parameters.provider, parameters.language, parameters.normalize)


@dataclass(frozen=True)
class TranscriptOutcome:
    """``attempts`` are ProviderAttempt dicts, each with the ``chunk`` it was made for."""

    transcript: Transcript
    attempts: list[dict[str, Any]]
    transcription_row: Transcription


async def transcribe_media(
    context: JobContext,
    media_path: Path,
    info: MediaInfo,
    options: TranscriptionOptions,
    *,
    stage_prefix: str = "",
) -> TranscriptOutcome:
    """Transcribe the first audio stream of ``media_path`` (already probed as ``info``).

    Stages the Transcription row on ``context`` (written when the job completes) and
    reports progress as ``{stage_prefix}preparing_audio`` and ``{stage_prefix}transcribing``.
    Raises NoAudio or MediaTooLong for unusable media and ProviderUnavailable when no
    provider could transcribe a chunk; silence gives an empty transcript.
    """
    ensure_audio(info, context.settings.max_video_duration)
    transcribers = context.providers.transcribers()
    max_chunk_bytes = _chunk_byte_limit(transcribers, options)
    async with _scratch_dir(context) as workdir:
        prepared = await _prepare(context, media_path, workdir, options, stage_prefix)
        chunks = await split_at_silences(
            prepared.path,
            workdir / "chunks",
            max_chunk_seconds=context.settings.transcription_chunk_seconds,
            max_chunk_bytes=max_chunk_bytes,
        )
        run = _ChunkRun(context, transcribers, options, f"{stage_prefix}transcribing", chunks)
        transcript = await run.transcribe_all()
    transcript = dataclasses.replace(transcript, duration=round(prepared.duration, 3))
    row = transcription_row(context.job.id, transcript, run.attempts)
    context.stage(row)
    return TranscriptOutcome(transcript, run.attempts, row)


async def run_transcribe(context: JobContext) -> TranscribeResult:
    """The ``audio.transcribe`` job: the transcript, every provider attempt, the media facts."""
    options = TranscriptionOptions.from_parameters(
        TRANSCRIBE.read_parameters(context.job.parameters)
    )
    original = await obtain_original(context)
    await context.progress.report("probing", 0, "reading the media's streams")
    info = await probe_media(original.path)
    context.update_job(media_type="video" if info.has_video else "audio")
    outcome = await transcribe_media(context, original.path, info, options)
    return TranscribeResult(
        transcript=transcript_summary(outcome.transcript),
        providers=outcome.attempts,
        media=media_facts(info),
    )


def transcript_summary(transcript: Transcript) -> TranscriptSummary:
    """What a job's result says about its transcript (the full one is at /transcript)."""
    words = transcript.words
    return TranscriptSummary(
        text=transcript.text,
        language=transcript.language,
        confidence=transcript.confidence,
        duration_seconds=transcript.duration,
        word_count=len(words) if words else len(transcript.text.split()),
        provider=transcript.provider,
        model=transcript.model,
    )


async def _prepare(
    context: JobContext,
    media_path: Path,
    workdir: Path,
    options: TranscriptionOptions,
    stage_prefix: str,
) -> PreparedAudio:
    stage = f"{stage_prefix}preparing_audio"
    await context.progress.report(stage, 0, "converting the audio to 16 kHz mono")
    prepared = await prepare_speech_audio(media_path, workdir, normalize=options.normalize)
    await context.progress.report(stage, 100, f"{prepared.duration:.1f} s of audio")
    return prepared


def _chunk_byte_limit(transcribers: Sequence[Transcriber], options: TranscriptionOptions) -> int:
    """Small enough for every provider that may be asked, so any of them can take any chunk."""
    limits = [t.max_upload_bytes for t in _candidates(transcribers, options)]
    return min(limits, default=UNLIMITED_CHUNK_BYTES)


def _candidates(
    transcribers: Sequence[Transcriber], options: TranscriptionOptions
) -> list[Transcriber]:
    return [t for t in transcribers if t.configured and options.provider in (None, t.name)]


@asynccontextmanager
async def _scratch_dir(context: JobContext) -> AsyncIterator[Path]:
    """Working files next to the job's upload, removed however the step ends."""
    parent = JobFiles(context.settings, context.job.id).upload_dir
    parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="transcription-", dir=parent))
    try:
        yield workdir
    finally:
        await asyncio.to_thread(shutil.rmtree, workdir, True)


@dataclass
class _ChunkRun:
    """One transcription of every chunk, at most CHUNK_CONCURRENCY at a time."""

    context: JobContext
    transcribers: list[Transcriber]
    options: TranscriptionOptions
    stage: str
    chunks: list[AudioChunk]
    attempts: list[dict[str, Any]] = field(default_factory=list)
    done: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def transcribe_all(self) -> Transcript:
        total = len(self.chunks)
        await self.context.progress.report(self.stage, 0, f"0 of {total} part(s) transcribed")
        transcript = await transcribe_chunks(
            [(chunk.path, chunk.start) for chunk in self.chunks],
            self.transcribe_one,
            concurrency=CHUNK_CONCURRENCY,
        )
        self.attempts.sort(key=lambda attempt: int(attempt["chunk"]))
        return transcript

    async def transcribe_one(self, path: Path) -> Transcript:
        index = next(i for i, chunk in enumerate(self.chunks) if chunk.path == path)
        audio, mime_type = await self._upload_form(path)
        outcome = await transcribe_with_fallback(
            self.context.providers.chain,
            self.transcribers,
            audio,
            mime_type=mime_type,
            language=self.options.language,
            explicit=self.options.provider,
            audio_probe=_audio_is_readable,
        )
        self.attempts.extend({**a.to_dict(), "chunk": index} for a in outcome.attempts)
        await self._count_done()
        return outcome.transcript

    async def _upload_form(self, wav: Path) -> tuple[Path, str]:
        """FLAC for cloud providers (about half the bytes); local Whisper reads the WAV."""
        candidates = _candidates(self.transcribers, self.options)
        if all(t.name == LOCAL_PROVIDER for t in candidates):
            return wav, "audio/wav"
        return await compress_for_upload(wav, wav.with_suffix(".flac")), "audio/flac"

    async def _count_done(self) -> None:
        async with self.lock:
            self.done += 1
            total = len(self.chunks)
            await self.context.progress.report(
                self.stage, 100 * self.done / total, f"{self.done} of {total} part(s) transcribed"
            )


async def _audio_is_readable(audio: Path) -> bool:
    """Our own verdict when a provider calls the audio corrupt (PROVIDERS.md §6)."""
    try:
        info = await probe_media(audio)
    except MediaAnalysisError:
        return False
    return info.has_audio
