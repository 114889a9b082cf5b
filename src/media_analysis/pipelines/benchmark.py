"""The benchmark job: one reference clip through every configured transcriber, scored by WER."""

from __future__ import annotations

import time
from typing import Any

from media_analysis.benchmark.wer import word_error_rate
from media_analysis.errors import ProviderUnavailable
from media_analysis.jobs.registry import JobContext
from media_analysis.media.info import MediaInfo
from media_analysis.media.probe import ensure_audio, probe_media
from media_analysis.pipelines.audio import TranscriptionOptions, transcribe_media
from media_analysis.pipelines.ingest import media_facts, obtain_original
from media_analysis.providers.factory import build_transcribers
from media_analysis.providers.failures import UnsupportedLanguage
from media_analysis.providers.transcription import Transcriber


async def run_benchmark(context: JobContext) -> dict[str, Any]:
    original = await obtain_original(context)
    info = await probe_media(original.path)
    ensure_audio(info, context.settings.max_video_duration)
    reference = str(context.job.parameters["reference_text"])
    results = [
        await _score(context, transcriber, original.path, info, reference)
        for transcriber in build_transcribers(context.settings)
    ]
    ranked = sorted(results, key=lambda r: (r["outcome"] != "success", r.get("wer") or 0.0))
    return {"reference_text": reference, "results": ranked, "media": media_facts(info)}


async def _score(
    context: JobContext, transcriber: Transcriber, audio: Any, info: MediaInfo, reference: str
) -> dict[str, Any]:
    entry: dict[str, Any] = {"provider": transcriber.name, "model": transcriber.model}
    if not transcriber.configured:
        return {**entry, "outcome": "skipped", "error_code": "not_configured"}
    options = TranscriptionOptions(
        provider=transcriber.name, language=context.job.parameters.get("language")
    )
    started = time.monotonic()
    try:
        outcome = await transcribe_media(
            context, audio, info, stage_prefix=f"{transcriber.name}_", options=options
        )
    except (ProviderUnavailable, UnsupportedLanguage) as exc:
        return {**entry, "outcome": "failed", "error_code": exc.code, "error": exc.detail}
    transcript = outcome.transcript
    return {
        **entry,
        "model": transcript.model or transcriber.model,
        "outcome": "success",
        "latency_ms": round((time.monotonic() - started) * 1000),
        "wer": round(word_error_rate(reference, transcript.text), 4),
        "text": transcript.text,
        "audio_seconds": transcript.duration,
    }
