"""Sample video frames at a fixed rate in one streaming ffmpeg pass."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import anyio

from media_analysis.errors import InvalidMedia
from media_analysis.media.binaries import ffmpeg_path
from media_analysis.media.ffmpeg_input import failure_reason, input_args
from media_analysis.media.probe import probe_media
from media_analysis.media.process import run_process
from media_analysis.media.progress import FfmpegProgress, ProgressCallback

ImageFormat = Literal["jpg", "png", "webp"]

_ENCODER_ARGS: dict[ImageFormat, list[str]] = {
    "jpg": ["-c:v", "mjpeg", "-q:v", "2"],
    "png": ["-c:v", "png"],
    "webp": ["-c:v", "libwebp", "-quality", "85"],
}
_SHOWINFO = re.compile(
    r"Parsed_showinfo.*?\bn:\s*(?P<n>\d+)\s.*?\bpts_time:\s*(?P<time>[-+\d.e]+)"
    r".*?\bs:(?P<width>\d+)x(?P<height>\d+)"
)


@dataclass(frozen=True)
class Frame:
    index: int
    timestamp: float
    path: Path
    width: int
    height: int


async def extract_frames(
    video: Path,
    out_dir: Path,
    *,
    fps: float = 3,
    image_format: ImageFormat = "jpg",
    duration: float | None = None,
    on_progress: ProgressCallback | None = None,
    timeout: float = 3600,
) -> list[Frame]:
    """Write one image per 1/fps seconds of ``video`` into ``out_dir``.

    Timestamps are the presentation times ffmpeg's fps filter gives each sample;
    rotated (phone) video comes out upright. ``duration`` only feeds progress and
    is probed when missing and progress is wanted.
    """
    if fps <= 0:
        raise ValueError("fps must be positive")
    await anyio.Path(out_dir).mkdir(parents=True, exist_ok=True)
    if on_progress is not None and duration is None:
        duration = (await probe_media(video)).duration
    collector = _ShowinfoCollector(out_dir, image_format)
    progress = FfmpegProgress(duration or 0.0, on_progress)
    result = await run_process(
        _command(video, out_dir, fps, image_format),
        timeout=timeout,
        on_stdout_line=progress.feed,
        on_stderr_line=collector.feed,
    )
    if not result.ok:
        reason = failure_reason(result.stderr, video)
        raise InvalidMedia(f"The video could not be decoded ({reason}).")
    if not collector.frames:
        raise InvalidMedia("No frames could be decoded from the video.")
    return collector.frames


def _command(video: Path, out_dir: Path, fps: float, image_format: ImageFormat) -> list[str]:
    pattern = str(out_dir.resolve()).replace("%", "%%") + f"/frame_%06d.{image_format}"
    return [
        ffmpeg_path(),
        "-nostdin",
        "-hide_banner",
        "-nostats",
        "-y",
        *input_args(video),
        "-map",
        "0:V:0",
        "-vf",
        f"fps={fps:g},showinfo",
        "-fps_mode",
        "passthrough",
        *_ENCODER_ARGS[image_format],
        "-start_number",
        "0",
        "-progress",
        "pipe:1",
        pattern,
    ]


class _ShowinfoCollector:
    """Collects one Frame per showinfo line as ffmpeg prints them."""

    def __init__(self, out_dir: Path, image_format: ImageFormat) -> None:
        self._out_dir = out_dir
        self._suffix = image_format
        self.frames: list[Frame] = []

    async def feed(self, line: str) -> None:
        match = _SHOWINFO.search(line)
        if match is None:
            return
        index = int(match["n"])
        self.frames.append(
            Frame(
                index=index,
                timestamp=max(0.0, float(match["time"])),
                path=self._out_dir / f"frame_{index:06d}.{self._suffix}",
                width=int(match["width"]),
                height=int(match["height"]),
            )
        )
