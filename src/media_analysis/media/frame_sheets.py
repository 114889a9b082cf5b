"""Frames and contact sheets from a single decode of the video."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from media_analysis.media.contact_sheet import ContactSheet, make_contact_sheets
from media_analysis.media.frames import Frame, ImageFormat, extract_frames
from media_analysis.media.progress import ProgressCallback

EXTRACTION_SHARE = 90.0  # percent of the progress bar spent decoding


@dataclass(frozen=True)
class FramesAndSheets:
    frames: list[Frame]
    sheets: list[ContactSheet]


async def extract_frames_and_sheets(
    video: Path,
    out_dir: Path,
    *,
    fps: float = 3,
    grid: tuple[int, int] = (2, 3),
    image_format: ImageFormat = "jpg",
    duration: float | None = None,
    on_progress: ProgressCallback | None = None,
    timeout: float = 3600,
) -> FramesAndSheets:
    """One ffmpeg pass writes the frames; the sheets are built from those files."""

    async def extraction_progress(percent: float) -> None:
        if on_progress is not None:
            await on_progress(percent * EXTRACTION_SHARE / 100)

    frames = await extract_frames(
        video,
        out_dir / "frames",
        fps=fps,
        image_format=image_format,
        duration=duration,
        on_progress=extraction_progress if on_progress else None,
        timeout=timeout,
    )
    sheets = await make_contact_sheets(
        frames, out_dir / "sheets", grid=grid, image_format=image_format
    )
    if on_progress is not None:
        await on_progress(100.0)
    return FramesAndSheets(frames, sheets)
