"""The composed audio job: the transcript, then an answer to the prompt about it."""

from __future__ import annotations

import time
from pathlib import Path

from media_analysis.jobs.registry import JobContext
from media_analysis.media.probe import probe_media
from media_analysis.pipelines.audio import (
    TranscriptionOptions,
    transcribe_media,
    transcript_summary,
)
from media_analysis.pipelines.ingest import media_facts, obtain_original
from media_analysis.pipelines.responses import elapsed_ms
from media_analysis.pipelines.specs.audio import AUDIO, AudioResult
from media_analysis.pipelines.understanding import Evidence, analysis_message, answer_prompt


async def run_audio(context: JobContext) -> AudioResult:
    """The ``audio`` job type."""
    started = time.monotonic()
    options = TranscriptionOptions.from_parameters(AUDIO.read_parameters(context.job.parameters))
    original = await obtain_original(context)
    return await analyze_audio(context, original.path, options, started)


async def analyze_audio(
    context: JobContext, media: Path, options: TranscriptionOptions, started: float
) -> AudioResult:
    await context.progress.report("probing", 0, "reading the media's streams")
    info = await probe_media(media)
    speech = await transcribe_media(context, media, info, options)
    await context.progress.report("analyzing", 0, analysis_message(context.settings))
    facts = media_facts(info)
    evidence = Evidence(facts.model_dump(), transcript=speech.transcript.text)
    analysis = await answer_prompt(context.providers, context.job.id, context.job.prompt, evidence)
    context.stage(analysis.row)
    return AudioResult(
        media=facts,
        transcript=transcript_summary(speech.transcript),
        analysis_result=analysis.result,
        providers=speech.attempts + analysis.attempts,
        processing_time_ms=elapsed_ms(started),
    )
