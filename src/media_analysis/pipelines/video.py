"""Video pipelines: frames only, and frames with contact sheets (one decode)."""

from __future__ import annotations

from pathlib import Path

from media_analysis.jobs.registry import JobContext
from media_analysis.media.frame_sheets import FramesAndSheets, extract_frames_and_sheets
from media_analysis.media.frames import extract_frames
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
from media_analysis.pipelines.specs.video import (
    CONTACT_SHEET,
    EXTRACT_FRAMES,
    ContactSheetParameters,
    ContactSheetResult,
    ExtractFramesResult,
    SheetsResult,
)
from media_analysis.pipelines.truncation import truncation_warnings
from media_analysis.storage import JobFiles


async def probe_video(context: JobContext) -> tuple[Path, MediaInfo]:
    original = await obtain_original(context)
    await context.progress.report("probing", 0, "reading the media's streams")
    info = await probe_media(original.path)
    ensure_video(info, context.settings.max_video_duration, context.settings.max_video_pixels)
    return original.path, info


async def run_extract_frames(context: JobContext) -> ExtractFramesResult:
    video, info = await probe_video(context)
    parameters = EXTRACT_FRAMES.read_parameters(context.job.parameters)
    files = JobFiles(context.settings, context.job.id)
    frames = await extract_frames(
        video,
        files.output_dir / "frames",
        fps=parameters.fps,
        image_format=parameters.output_format,
        duration=info.duration,
        on_progress=stage_reporter(context, "extracting_frames"),
    )
    assets = frame_assets(files, frames, parameters.output_format)
    context.stage(*assets)
    return ExtractFramesResult(
        **frame_summary(assets).model_dump(),
        fps=parameters.fps,
        output_format=parameters.output_format,
        media=media_facts(info),
        warnings=truncation_warnings(frames, parameters.fps, info.duration),
    )


async def run_contact_sheet(context: JobContext) -> ContactSheetResult:
    video, info = await probe_video(context)
    parameters = CONTACT_SHEET.read_parameters(context.job.parameters)
    extracted = await frames_and_sheets(context, parameters, video, info)
    sheets = sheets_result(context, parameters, extracted, info)
    return ContactSheetResult(**dict(sheets), media=media_facts(info))


async def frames_and_sheets(
    context: JobContext, parameters: ContactSheetParameters, video: Path, info: MediaInfo
) -> FramesAndSheets:
    return await extract_frames_and_sheets(
        video,
        JobFiles(context.settings, context.job.id).output_dir,
        fps=parameters.fps,
        grid=parameters.rows_and_columns,
        image_format=parameters.output_format,
        duration=info.duration,
        on_progress=stage_reporter(context, "extracting_frames"),
    )


def sheets_result(
    context: JobContext,
    parameters: ContactSheetParameters,
    extracted: FramesAndSheets,
    info: MediaInfo,
) -> SheetsResult:
    """Stage the frame and sheet rows; return what the job's result says about them."""
    files = JobFiles(context.settings, context.job.id)
    image_format, grid = parameters.output_format, parameters.rows_and_columns
    frames = frame_assets(files, extracted.frames, image_format)
    sheets = sheet_assets(files, extracted.sheets, image_format, grid)
    context.stage(*frames, *sheets)
    summaries = sheet_summaries(sheets)
    return SheetsResult(
        **frame_summary(frames).model_dump(),
        fps=parameters.fps,
        grid=f"{grid[0]}x{grid[1]}",
        output_format=image_format,
        contact_sheet_count=len(sheets),
        contact_sheet_path=summaries[0].url if summaries else None,
        contact_sheets=summaries,
        warnings=truncation_warnings(extracted.frames, parameters.fps, info.duration),
    )


def stage_reporter(context: JobContext, stage: str) -> ProgressCallback:
    async def report(percent: float) -> None:
        await context.progress.report(stage, percent)

    return report
