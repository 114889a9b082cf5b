"""The benchmark job: one reference clip through every configured transcriber, scored by WER."""

from __future__ import annotations

import time
from pathlib import Path

from media_analysis.benchmark.wer import word_error_rate
from media_analysis.errors import ProviderUnavailable
from media_analysis.jobs.registry import JobContext
from media_analysis.media.info import MediaInfo
from media_analysis.media.probe import ensure_audio, probe_media
from media_analysis.pipelines.audio import TranscriptionOptions, transcribe_media
from media_analysis.pipelines.ingest import media_facts, obtain_original
from media_analysis.pipelines.specs.benchmark import (
    BENCHMARK,
    BenchmarkParameters,
    BenchmarkResult,
    Score,
    ScoreFailed,
    ScoreSkipped,
    ScoreSucceeded,
)
from media_analysis.providers.factory import build_transcribers
from media_analysis.providers.failures import UnsupportedLanguage
from media_analysis.providers.transcription import Transcriber


async def run_benchmark(context: JobContext) -> BenchmarkResult:
    parameters = BENCHMARK.read_parameters(context.job.parameters)
    original = await obtain_original(context)
    info = await probe_media(original.path)
    ensure_audio(info, context.settings.max_video_duration)
    scores = [
        await _score(context, transcriber, original.path, info, parameters)
        for transcriber in build_transcribers(context.settings)
    ]
    ranked = sorted(scores, key=_rank)
    return BenchmarkResult(
        reference_text=parameters.reference_text, results=ranked, media=media_facts(info)
    )


def _rank(score: Score) -> tuple[bool, float]:
    return (score.outcome != "success", score.wer if isinstance(score, ScoreSucceeded) else 0.0)


async def _score(
    context: JobContext,
    transcriber: Transcriber,
    audio: Path,
    info: MediaInfo,
    parameters: BenchmarkParameters,
) -> Score:
    name = transcriber.name
    if not transcriber.configured:
        return ScoreSkipped(provider=name, model=transcriber.model, error_code="not_configured")
    options = TranscriptionOptions(provider=name, language=parameters.language)
    started = time.monotonic()
    try:
        outcome = await transcribe_media(context, audio, info, options, stage_prefix=f"{name}_")
    except (ProviderUnavailable, UnsupportedLanguage) as exc:
        return ScoreFailed(
            provider=name, model=transcriber.model, error_code=exc.code, error=exc.detail
        )
    transcript = outcome.transcript
    return ScoreSucceeded(
        provider=name,
        model=transcript.model or transcriber.model,
        latency_ms=round((time.monotonic() - started) * 1000),
        wer=round(word_error_rate(parameters.reference_text, transcript.text), 4),
        text=transcript.text,
        audio_seconds=transcript.duration,
    )
