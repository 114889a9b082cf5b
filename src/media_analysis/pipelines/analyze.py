"""POST /analyze: tell what the media is from its content, then run the right pipeline."""

from __future__ import annotations

import asyncio
import time

from media_analysis.analysis.frames import FrameRef
from media_analysis.analysis.images import open_image
from media_analysis.errors import InvalidMedia
from media_analysis.jobs.registry import JobContext
from media_analysis.media.probe import probe_media
from media_analysis.pipelines.audio import TranscriptionOptions
from media_analysis.pipelines.audio_analysis import analyze_audio
from media_analysis.pipelines.documents import extract_and_analyze
from media_analysis.pipelines.ingest import Original, obtain_original
from media_analysis.pipelines.responses import elapsed_ms
from media_analysis.pipelines.specs.analyze import (
    ANALYZE,
    AnalyzedDocumentResult,
    AnalyzeResult,
    ImageResult,
    MediaKind,
)
from media_analysis.pipelines.specs.parts import ImageFacts
from media_analysis.pipelines.understanding import Evidence, answer_prompt
from media_analysis.pipelines.video_analysis import analyze_video
from media_analysis.providers.vision import VisionImage


async def run_analyze(context: JobContext) -> AnalyzeResult:
    started = time.monotonic()
    parameters = ANALYZE.read_parameters(context.job.parameters)
    options = TranscriptionOptions.from_parameters(parameters)
    original = await obtain_original(context)
    kind = parameters.media_type or await detect_kind(original)
    context.update_job(media_type=kind)
    if kind == "video":
        return AnalyzeResult(
            await analyze_video(context, original.path, parameters, options, started)
        )
    if kind == "audio":
        return AnalyzeResult(await analyze_audio(context, original.path, options, started))
    if kind == "image":
        return AnalyzeResult(await analyze_image(context, original, started))
    document = await extract_and_analyze(context, parameters.analysis_type)
    return AnalyzeResult(
        AnalyzedDocumentResult(**dict(document), processing_time_ms=elapsed_ms(started))
    )


async def detect_kind(original: Original) -> MediaKind:
    """From magic bytes, then from the streams ffprobe finds: never from the file name."""
    if original.kind == "image":
        return "image"
    if original.kind == "document":
        return "document"
    if original.kind in ("video", "audio"):
        info = await probe_media(original.path)
        if info.has_video:
            return "video"
        if info.has_audio:
            return "audio"
    raise InvalidMedia(
        "The media type could not be recognised from the file's content; "
        "send video, audio, an image or a document (PDF, Office, HTML, Markdown, text)."
    )


async def analyze_image(context: JobContext, original: Original, started: float) -> ImageResult:
    await context.progress.report("analyzing", 10, "looking at the image")
    facts = await asyncio.to_thread(_image_facts, original, context.settings.max_image_pixels)
    evidence = Evidence(
        facts.model_dump(),
        images=[VisionImage(original.path, original.mime_type, "the submitted image")],
        frames=[FrameRef(original.path, 0, None)],
    )
    analysis = await answer_prompt(context.providers, context.job.id, context.job.prompt, evidence)
    context.stage(analysis.row)
    return ImageResult(
        analysis_result=analysis.result,
        providers=analysis.attempts,
        media=facts,
        processing_time_ms=elapsed_ms(started),
    )


def _image_facts(original: Original, max_pixels: int) -> ImageFacts:
    """From the header alone: nothing is decoded here, and a bomb is refused unopened."""
    with open_image(original.path, max_pixels) as image:
        return ImageFacts(
            format=image.format, width=image.width, height=image.height, size_bytes=original.size
        )
