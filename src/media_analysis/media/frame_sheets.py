"""Frames and contact sheets from a single decode of the video."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import anyio

from media_analysis.media.contact_sheet import ContactSheet
from media_analysis.media.frames import Frame, ImageFormat, extract_frames
from media_analysis.media.progress import ProgressCallback
from media_analysis.media.sheet_assembly import SheetAssembler


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
    """One ffmpeg pass writes the frames and streams their tiles into the sheets."""
    sheets_dir = out_dir / "sheets"
    await anyio.Path(sheets_dir).mkdir(parents=True, exist_ok=True)
    assembler = SheetAssembler(sheets_dir, grid, image_format)
    frames = await extract_frames(
        video,
        out_dir / "frames",
        fps=fps,
        image_format=image_format,
        duration=duration,
        on_progress=on_progress,
        timeout=timeout,
        tiles=assembler,
    )
    return FramesAndSheets(frames, await assembler.finish())
