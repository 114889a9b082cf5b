from __future__ import annotations

import asyncio
from itertools import pairwise
from pathlib import Path

import psutil
import pytest
from PIL import Image

from media_analysis.errors import InvalidMedia
from media_analysis.media.frames import Frame, extract_frames
from tests.media import clips


def assert_evenly_spaced(frames: list[Frame], fps: float) -> None:
    assert [frame.index for frame in frames] == list(range(len(frames)))
    gaps = [later.timestamp - earlier.timestamp for earlier, later in pairwise(frames)]
    assert all(gap == pytest.approx(1 / fps, abs=0.01) for gap in gaps)


async def test_frame_count_matches_ffmpeg_fps_filter(tmp_path: Path) -> None:
    frames = await extract_frames(clips.BIG_BUCK_BUNNY, tmp_path, fps=3)

    expected = clips.ffmpeg_fps_frame_count(clips.BIG_BUCK_BUNNY, 3)
    assert expected == 16
    assert abs(len(frames) - expected) <= 1
    assert frames[0].timestamp == pytest.approx(0, abs=0.05)
    assert_evenly_spaced(frames, 3)
    for frame in frames:
        with Image.open(frame.path) as image:
            assert image.size == (frame.width, frame.height) == (1280, 720)


async def test_variable_frame_rate_keeps_real_times(
    tmp_path: Path, variable_rate_video: Path
) -> None:
    frames = await extract_frames(variable_rate_video, tmp_path, fps=3)

    assert abs(len(frames) - clips.ffmpeg_fps_frame_count(variable_rate_video, 3)) <= 1
    assert frames[-1].timestamp == pytest.approx(12 - 1 / 3, abs=0.35)
    assert_evenly_spaced(frames, 3)


async def test_rotated_video_gives_portrait_frames(tmp_path: Path, rotated_video: Path) -> None:
    frames = await extract_frames(rotated_video, tmp_path, fps=2)

    assert len(frames) == 6
    for frame in frames:
        with Image.open(frame.path) as image:
            assert image.size == (frame.width, frame.height) == (240, 320)


@pytest.mark.parametrize("image_format", ["png", "webp"])
async def test_other_image_formats(tmp_path: Path, small_video: Path, image_format: str) -> None:
    frames = await extract_frames(small_video, tmp_path, fps=1, image_format=image_format)  # type: ignore[arg-type]

    assert len(frames) == 3
    with Image.open(frames[0].path) as image:
        assert image.format == image_format.upper()


async def test_progress_rises_to_100(tmp_path: Path) -> None:
    seen: list[float] = []

    async def record(percent: float) -> None:
        seen.append(percent)

    await extract_frames(clips.BIG_BUCK_BUNNY, tmp_path, on_progress=record)

    assert seen and seen[-1] == 100
    assert seen == sorted(seen)


async def test_garbage_raises_invalid_media_without_paths(tmp_path: Path) -> None:
    garbage = tmp_path / "clip.mp4"
    garbage.write_bytes(b"\x00\x01garbage" * 500)

    with pytest.raises(InvalidMedia) as caught:
        await extract_frames(garbage, tmp_path / "frames")
    assert str(tmp_path) not in caught.value.detail


async def test_audio_only_file_raises_invalid_media(tmp_path: Path) -> None:
    with pytest.raises(InvalidMedia):
        await extract_frames(clips.JFK_FLAC, tmp_path)


async def test_cancel_kills_ffmpeg(tmp_path: Path) -> None:
    long_video = clips.make_video(tmp_path / "long.mp4", seconds=60, size="160x120")
    task = asyncio.create_task(
        extract_frames(long_video, tmp_path / "frames", fps=25, image_format="png")
    )
    children = await _wait_for_children()
    assert children, "ffmpeg never started"

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert not any(child.is_running() and child.status() != "zombie" for child in children)
    assert _media_children() == []


def _media_children() -> list[psutil.Process]:
    """Child processes other than the long-lived probe helper, which outlives every job."""
    return [
        child
        for child in psutil.Process().children(recursive=True)
        if "media_analysis.media.probe_av" not in " ".join(child.cmdline())
    ]


async def _wait_for_children() -> list[psutil.Process]:
    for _ in range(200):
        children = _media_children()
        if children:
            return children
        await asyncio.sleep(0.02)
    return []
