"""The composed audio job: the transcript, then an answer to the prompt about it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from media_analysis.jobs.registry import JobContext
from media_analysis.media.probe import probe_media
from media_analysis.pipelines.audio import transcribe_media, transcript_summary
from media_analysis.pipelines.ingest import media_facts, obtain_original
from media_analysis.pipelines.responses import finish_response
from media_analysis.pipelines.understanding import Evidence, analysis_message, answer_prompt


async def run_audio(context: JobContext) -> dict[str, Any]:
    """The ``audio`` job type."""
    started = time.monotonic()
    original = await obtain_original(context)
    return finish_response(await analyze_audio(context, original.path), "audio", started)


async def analyze_audio(context: JobContext, media: Path) -> dict[str, Any]:
    await context.progress.report("probing", 0, "reading the media's streams")
    info = await probe_media(media)
    speech = await transcribe_media(context, media, info)
    await context.progress.report("analyzing", 0, analysis_message(context.settings))
    evidence = Evidence(media_facts(info), transcript=speech.transcript.text)
    analysis = await answer_prompt(context.providers, context.job.id, context.job.prompt, evidence)
    context.stage(analysis.row)
    return {
        "frame_count": 0,
        "media": evidence.facts,
        "transcript": transcript_summary(speech.transcript),
        "analysis_result": analysis.result,
        "providers": speech.attempts + analysis.attempts,
    }
