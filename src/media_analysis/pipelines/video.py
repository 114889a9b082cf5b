"""Video pipelines: frames only, and frames with contact sheets (one decode)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from media_analysis.config import parse_grid
from media_analysis.jobs.registry import JobContext
from media_analysis.media.frame_sheets import FramesAndSheets, extract_frames_and_sheets
from media_analysis.media.frames import ImageFormat, extract_frames
from media_analysis.media.info import MediaInfo
from media_analysis.media.probe import ensure_video, probe_media
from media_analysis.media.progress import ProgressCallback
from media_analysis.pipelines.frame_assets import (
    frame_assets,
    frame_summary,
    sheet_assets,
    sheet_summaries,
)
from media_analysis.pipelines.ingest import media_facts, obtain_original
from media_analysis.pipelines.truncation import truncation_warnings
from media_analysis.storage import JobFiles


async def probe_video(context: JobContext) -> tuple[Path, MediaInfo]:
    original = await obtain_original(context)
    await context.progress.report("probing", 0, "reading the media's streams")
    info = await probe_media(original.path)
    ensure_video(info, context.settings.max_video_duration, context.settings.max_video_pixels)
    return original.path, info


async def run_extract_frames(context: JobContext) -> dict[str, Any]:
    video, info = await probe_video(context)
    files = JobFiles(context.settings, context.job.id)
    fps, image_format = frame_rate(context), frame_format(context)
    frames = await extract_frames(
        video,
        files.output_dir / "frames",
        fps=fps,
        image_format=image_format,
        duration=info.duration,
        on_progress=stage_reporter(context, "extracting_frames"),
    )
    assets = frame_assets(files, frames, image_format)
    context.stage(*assets)
    return {
        **frame_summary(assets),
        "fps": fps,
        "output_format": image_format,
        "media": media_facts(info),
        "warnings": truncation_warnings(frames, fps, info.duration),
    }


async def run_contact_sheet(context: JobContext) -> dict[str, Any]:
    video, info = await probe_video(context)
    extracted = await frames_and_sheets(context, video, info)
    return {**sheets_result(context, extracted, info), "media": media_facts(info)}


async def frames_and_sheets(context: JobContext, video: Path, info: MediaInfo) -> FramesAndSheets:
    return await extract_frames_and_sheets(
        video,
        JobFiles(context.settings, context.job.id).output_dir,
        fps=frame_rate(context),
        grid=sheet_grid(context),
        image_format=frame_format(context),
        duration=info.duration,
        on_progress=stage_reporter(context, "extracting_frames"),
    )


def sheets_result(
    context: JobContext, extracted: FramesAndSheets, info: MediaInfo
) -> dict[str, Any]:
    """Stage the frame and sheet rows; return what the job's result says about them."""
    files = JobFiles(context.settings, context.job.id)
    image_format, grid = frame_format(context), sheet_grid(context)
    frames = frame_assets(files, extracted.frames, image_format)
    sheets = sheet_assets(files, extracted.sheets, image_format, grid)
    context.stage(*frames, *sheets)
    summaries = sheet_summaries(sheets)
    return {
        **frame_summary(frames),
        "fps": frame_rate(context),
        "grid": f"{grid[0]}x{grid[1]}",
        "output_format": image_format,
        "contact_sheet_count": len(sheets),
        "contact_sheet_path": summaries[0]["url"] if summaries else None,
        "contact_sheets": summaries,
        "warnings": truncation_warnings(extracted.frames, frame_rate(context), info.duration),
    }


def frame_rate(context: JobContext) -> float:
    return float(context.job.parameters.get("fps", context.settings.fps))


def frame_format(context: JobContext) -> ImageFormat:
    value = context.job.parameters.get("output_format", context.settings.frame_format)
    return value if value in ("jpg", "png", "webp") else "jpg"


def sheet_grid(context: JobContext) -> tuple[int, int]:
    return parse_grid(str(context.job.parameters.get("grid", context.settings.contact_sheet_grid)))


def stage_reporter(context: JobContext, stage: str) -> ProgressCallback:
    async def report(percent: float) -> None:
        await context.progress.report(stage, percent)

    return report
