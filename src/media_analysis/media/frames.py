"""Sample video frames at a fixed rate in one streaming ffmpeg pass."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import anyio

from media_analysis.errors import InvalidMedia
from media_analysis.media.binaries import ffmpeg_path
from media_analysis.media.ffmpeg_input import failure_reason, input_args
from media_analysis.media.probe import probe_media
from media_analysis.media.process import run_process
from media_analysis.media.progress import DecodeProgress, ProgressCallback

ImageFormat = Literal["jpg", "png", "webp"]

# JPEG at -q:v 5 measured on 1080p frames: about 40 dB PSNR (visually the source),
# 35 % fewer bytes and 15 % less encoder time than -q:v 2, which measured 46 dB.
_ENCODER_ARGS: dict[ImageFormat, list[str]] = {
    "jpg": ["-c:v", "mjpeg", "-q:v", "5"],
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


class TileSink(Protocol):
    """Takes a downscaled copy of every sampled frame, made by the same decode."""

    @property
    def max_size(self) -> tuple[int, int]: ...

    async def add_frame(self, frame: Frame) -> None: ...

    async def read_tiles(self, stream: asyncio.StreamReader) -> None:
        """Read the PPM images ffmpeg writes to stdout, one per frame, to the end."""


async def extract_frames(
    video: Path,
    out_dir: Path,
    *,
    fps: float = 3,
    image_format: ImageFormat = "jpg",
    duration: float | None = None,
    on_progress: ProgressCallback | None = None,
    timeout: float = 3600,
    tiles: TileSink | None = None,
) -> list[Frame]:
    """Write one image per 1/fps seconds of ``video`` into ``out_dir``.

    Timestamps are the presentation times ffmpeg's fps filter gives each sample;
    rotated (phone) video comes out upright. ``duration`` only feeds progress and
    is probed when missing and progress is wanted. With ``tiles`` the same decode
    also streams every frame, scaled to fit ``tiles.max_size``, to that sink.
    """
    if fps <= 0:
        raise ValueError("fps must be positive")
    await anyio.Path(out_dir).mkdir(parents=True, exist_ok=True)
    if on_progress is not None and duration is None:
        duration = (await probe_media(video)).duration
    progress = DecodeProgress(duration or 0.0, on_progress)
    collector = _ShowinfoCollector(out_dir, image_format, progress, tiles)
    result = await run_process(
        _command(video, out_dir, fps, image_format, tiles.max_size if tiles else None),
        timeout=timeout,
        on_stderr_line=collector.feed,
        on_stdout=tiles.read_tiles if tiles else None,
    )
    if not result.ok:
        reason = failure_reason(result.stderr, video)
        raise InvalidMedia(f"The video could not be decoded ({reason}).")
    if not collector.frames:
        raise InvalidMedia("No frames could be decoded from the video.")
    await progress.finished()
    return collector.frames


def _command(
    video: Path,
    out_dir: Path,
    fps: float,
    image_format: ImageFormat,
    tile_size: tuple[int, int] | None,
) -> list[str]:
    pattern = str(out_dir.resolve()).replace("%", "%%") + f"/frame_%06d.{image_format}"
    head = [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-y", *input_args(video)]
    frames_output = ["-fps_mode", "passthrough", *_ENCODER_ARGS[image_format]]
    frames_output += ["-start_number", "0", pattern]
    sampling = f"fps={fps:g},showinfo=checksum=0"
    if tile_size is None:
        return [*head, "-map", "0:V:0", "-vf", sampling, *frames_output]
    graph = f"[0:V:0]{sampling},split[frames][copy];[copy]{_tile_scaling(tile_size)}[tiles]"
    tiles_output = ["-fps_mode", "passthrough", "-c:v", "ppm", "-f", "image2pipe", "pipe:1"]
    outputs = ["-map", "[frames]", *frames_output, "-map", "[tiles]", *tiles_output]
    return [*head, "-filter_complex", graph, *outputs]


def _tile_scaling(max_size: tuple[int, int]) -> str:
    """Fit inside ``max_size`` keeping the aspect ratio, never enlarging (as thumbnails do)."""
    width, height = max_size
    fit = f"w='min(iw,{width})':h='min(ih,{height})':force_original_aspect_ratio=decrease"
    return f"scale={fit}:flags=area,format=rgb24"


class _ShowinfoCollector:
    """Collects one Frame per showinfo line as ffmpeg prints them."""

    def __init__(
        self,
        out_dir: Path,
        image_format: ImageFormat,
        progress: DecodeProgress,
        tiles: TileSink | None,
    ) -> None:
        self._out_dir = out_dir
        self._suffix = image_format
        self._progress = progress
        self._tiles = tiles
        self.frames: list[Frame] = []

    async def feed(self, line: str) -> None:
        match = _SHOWINFO.search(line)
        if match is None:
            return
        index = int(match["n"])
        frame = Frame(
            index=index,
            timestamp=max(0.0, float(match["time"])),
            path=self._out_dir / f"frame_{index:06d}.{self._suffix}",
            width=int(match["width"]),
            height=int(match["height"]),
        )
        self.frames.append(frame)
        if self._tiles is not None:
            await self._tiles.add_frame(frame)
        await self._progress.reached(frame.timestamp)
