"""Probe a local media file with ffprobe, or with PyAV in a long-lived child process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from media_analysis.errors import InvalidMedia, MediaTooLarge, MediaTooLong, NoAudio
from media_analysis.media.binaries import ffmpeg_path, ffprobe_path
from media_analysis.media.ffmpeg_input import failure_reason, input_args
from media_analysis.media.info import (
    MediaInfo,
    duration_from_json,
    rotation_from_json,
    streams_from_json,
)
from media_analysis.media.probe_helper import probe_in_helper
from media_analysis.media.process import run_process

FFPROBE_ARGS = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams"]


async def probe_media(path: Path, *, timeout: float = 30) -> MediaInfo:
    """Describe ``path``; unreadable or stream-less files raise InvalidMedia."""
    size = _size_of(path)
    data = await _probe_json(path, timeout)
    streams = streams_from_json(data.get("streams", []))
    if not streams:
        raise InvalidMedia("The file contains no audio or video streams.")
    duration = duration_from_json(data) or await _measure_duration(path, timeout)
    return MediaInfo(
        duration=duration,
        format_name=str(data.get("format", {}).get("format_name") or "unknown"),
        size=size,
        streams=streams,
        rotation=rotation_from_json(data.get("streams", [])),
    )


def ensure_video(info: MediaInfo, max_duration: float, max_pixels: int) -> None:
    if not info.has_video:
        raise InvalidMedia("The file has no video stream.")
    _ensure_not_too_long(info, max_duration)
    _ensure_frames_fit(info, max_pixels)


def _ensure_frames_fit(info: MediaInfo, max_pixels: int) -> None:
    """Decoders allocate whole frames, so a tiny file of huge frames is refused up front."""
    video = info.video
    if video is None or not video.width or not video.height:
        return
    if video.width * video.height > max_pixels:
        raise MediaTooLarge(
            f"The video's frames are {video.width}×{video.height} pixels, more than the "
            f"{max_pixels:,} pixels allowed.",
            width=video.width,
            height=video.height,
            max_pixels=max_pixels,
        )


def ensure_audio(info: MediaInfo, max_duration: float) -> None:
    if not info.has_audio:
        raise NoAudio("The file has no audio stream.")
    _ensure_not_too_long(info, max_duration)


def _ensure_not_too_long(info: MediaInfo, max_duration: float) -> None:
    if info.duration > max_duration:
        raise MediaTooLong(
            f"The media is {info.duration:.0f} seconds long; "
            f"the limit is {max_duration:.0f} seconds.",
            duration=info.duration,
            max_duration=max_duration,
        )


def _size_of(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError:
        raise InvalidMedia("The media file could not be opened.") from None
    if size == 0:
        raise InvalidMedia("The file is empty.")
    return size


async def _probe_json(path: Path, timeout: float) -> dict[str, Any]:
    ffprobe = ffprobe_path()
    if ffprobe is None:
        return await probe_in_helper(path, timeout=timeout)
    result = await run_process([ffprobe, *FFPROBE_ARGS, *input_args(path)], timeout=timeout)
    if not result.ok:
        reason = failure_reason(result.stderr, path)
        raise InvalidMedia(f"The file could not be read as audio or video ({reason}).")
    try:
        data = json.loads(result.stdout)
    except ValueError:
        raise InvalidMedia("The file could not be read as audio or video.") from None
    if not isinstance(data, dict):
        raise InvalidMedia("The file could not be read as audio or video.")
    return data


async def _measure_duration(path: Path, timeout: float) -> float:
    """Some files (e.g. browser-recorded WebM) carry no duration: read it off the packets."""
    last_out_time = 0.0

    async def note_progress(line: str) -> None:
        nonlocal last_out_time
        key, _, value = line.partition("=")
        if key == "out_time_us" and value.strip().isdigit():
            last_out_time = int(value) / 1_000_000

    argv = [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", *input_args(path)]
    argv += ["-map", "0", "-c", "copy", "-f", "null", "-progress", "pipe:1", "-"]
    result = await run_process(argv, timeout=timeout, on_stdout_line=note_progress)
    if not result.ok:
        reason = failure_reason(result.stderr, path)
        raise InvalidMedia(f"The file could not be read as audio or video ({reason}).")
    return last_out_time
