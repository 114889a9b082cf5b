"""POST /analyze: tell what the media is from its content, then run the right pipeline."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from media_analysis.analysis.frames import FrameRef
from media_analysis.analysis.images import open_image
from media_analysis.errors import InvalidMedia
from media_analysis.jobs.registry import JobContext
from media_analysis.media.probe import probe_media
from media_analysis.pipelines.audio_analysis import analyze_audio
from media_analysis.pipelines.documents import run_document
from media_analysis.pipelines.ingest import Original, obtain_original
from media_analysis.pipelines.responses import finish_response
from media_analysis.pipelines.understanding import Evidence, answer_prompt
from media_analysis.pipelines.video_analysis import analyze_video
from media_analysis.providers.vision import VisionImage

KINDS = ("video", "audio", "image", "document")


async def run_analyze(context: JobContext) -> dict[str, Any]:
    started = time.monotonic()
    original = await obtain_original(context)
    declared = context.job.parameters.get("media_type")
    kind = str(declared) if declared else await detect_kind(original)
    context.update_job(media_type=kind)
    if kind == "video":
        result = await analyze_video(context, original.path)
    elif kind == "audio":
        result = await analyze_audio(context, original.path)
    elif kind == "image":
        result = await analyze_image(context, original)
    else:
        result = await run_document(context)
    return finish_response(result, kind, started)


async def detect_kind(original: Original) -> str:
    """From magic bytes, then from the streams ffprobe finds: never from the file name."""
    if original.kind in ("image", "document"):
        return original.kind
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


async def analyze_image(context: JobContext, original: Original) -> dict[str, Any]:
    await context.progress.report("analyzing", 10, "looking at the image")
    facts = await asyncio.to_thread(_image_facts, original, context.settings.max_image_pixels)
    evidence = Evidence(
        facts,
        images=[VisionImage(original.path, original.mime_type, "the submitted image")],
        frames=[FrameRef(original.path, 0, None)],
    )
    analysis = await answer_prompt(context.providers, context.job.id, context.job.prompt, evidence)
    context.stage(analysis.row)
    return {
        "frame_count": 0,
        "contact_sheet_path": None,
        "contact_sheets": [],
        "analysis_result": analysis.result,
        "providers": analysis.attempts,
        "media": facts,
    }


def _image_facts(original: Original, max_pixels: int) -> dict[str, Any]:
    """From the header alone: nothing is decoded here, and a bomb is refused unopened."""
    with open_image(original.path, max_pixels) as image:
        return {
            "media_type": "image",
            "format": image.format,
            "width": image.width,
            "height": image.height,
            "size_bytes": original.size,
        }
