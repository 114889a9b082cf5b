"""The composed video job: frames and sheets beside the transcript, then the answer."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from media_analysis.analysis.frames import FrameRef
from media_analysis.errors import MediaAnalysisError
from media_analysis.jobs.registry import JobContext
from media_analysis.media.info import MediaInfo
from media_analysis.media.probe import ensure_video, probe_media
from media_analysis.pipelines.audio import (
    TranscriptionOptions,
    TranscriptOutcome,
    transcribe_media,
    transcript_summary,
)
from media_analysis.pipelines.ingest import media_facts, obtain_original
from media_analysis.pipelines.responses import elapsed_ms
from media_analysis.pipelines.specs.parts import ProblemNote
from media_analysis.pipelines.specs.video import VIDEO, ContactSheetParameters, VideoResult
from media_analysis.pipelines.understanding import (
    Evidence,
    analysis_message,
    answer_prompt,
    answered_locally,
    measure_in_frames,
    sheet_images,
)
from media_analysis.pipelines.video import frames_and_sheets, sheets_result

logger = logging.getLogger(__name__)


async def run_video(context: JobContext) -> VideoResult:
    """The ``video`` job type: everything the service can say about a video."""
    started = time.monotonic()
    parameters = VIDEO.read_parameters(context.job.parameters)
    options = TranscriptionOptions.from_parameters(parameters)
    original = await obtain_original(context)
    return await analyze_video(context, original.path, parameters, options, started)


async def analyze_video(
    context: JobContext,
    video: Path,
    parameters: ContactSheetParameters,
    options: TranscriptionOptions,
    started: float,
) -> VideoResult:
    """Frames and sheets, the transcript and (with no model to ask) the frames' local
    analysis all run side by side; only the answer waits for the transcript."""
    settings = context.settings
    await context.progress.report("probing", 0, "reading the media's streams")
    info = await probe_media(video)
    ensure_video(info, settings.max_video_duration, settings.max_video_pixels)
    async with asyncio.TaskGroup() as group:
        speech_task = group.create_task(_transcript_if_audio(context, video, info, options))
        extracted = await frames_and_sheets(context, parameters, video, info)
        frames = [FrameRef(f.path, f.index, f.timestamp) for f in extracted.frames]
        measured_task = (
            group.create_task(measure_in_frames(settings, frames))
            if answered_locally(settings)
            else None
        )
        sheets = sheets_result(context, parameters, extracted, info)
    speech, speech_error = speech_task.result()
    await context.progress.report("analyzing", 0, analysis_message(settings))
    facts = media_facts(info)
    evidence = Evidence(
        facts.model_dump(),
        images=sheet_images(sheets.contact_sheets, [s.path for s in extracted.sheets]),
        frames=frames,
        transcript=speech.transcript.text if speech else None,
    )
    measured = measured_task.result() if measured_task else None
    analysis = await answer_prompt(
        context.providers, context.job.id, context.job.prompt, evidence, measured
    )
    context.stage(analysis.row)
    return VideoResult(
        **dict(sheets),
        media=facts,
        transcript=transcript_summary(speech.transcript) if speech else None,
        transcript_error=speech_error,
        analysis_result=analysis.result,
        providers=(speech.attempts if speech else []) + analysis.attempts,
        processing_time_ms=elapsed_ms(started),
    )


async def _transcript_if_audio(
    context: JobContext, video: Path, info: MediaInfo, options: TranscriptionOptions
) -> tuple[TranscriptOutcome | None, ProblemNote | None]:
    """The audio track's transcript; its failure is reported, not fatal to the video job."""
    if not info.has_audio:
        return None, None
    try:
        return await transcribe_media(context, video, info, options, stage_prefix="audio_"), None
    except MediaAnalysisError as exc:
        logger.info("video job %s: no transcript (%s)", context.job.id, exc.code)
        return None, ProblemNote(code=exc.code, message=exc.detail)
