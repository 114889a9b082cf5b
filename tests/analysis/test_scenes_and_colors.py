from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from media_analysis.analysis.colors import dominant_colors, find_dominant_colors
from media_analysis.analysis.frames import FrameRef, evenly_spaced, format_timestamp
from media_analysis.analysis.scenes import detect_scene_changes

FPS = 3


def synthetic_clip(directory: Path) -> list[FrameRef]:
    """Three shots of 6 frames each: a ball moving on blue, on an orange sunset, on grass."""
    rng = np.random.default_rng(7)
    shots = [(30, 60, 160), (240, 140, 40), (40, 150, 60)]
    frames = []
    for shot, background in enumerate(shots):
        for step in range(6):
            index = shot * 6 + step
            noise = rng.integers(-12, 12, (180, 320, 3))
            pixels = np.clip(np.array(background) + noise, 0, 255).astype(np.uint8)
            image = Image.fromarray(pixels)
            x = 20 + step * 30
            ImageDraw.Draw(image).ellipse((x, 60, x + 50, 110), fill="white")
            path = directory / f"frame_{index:03d}.jpg"
            image.save(path, "JPEG")
            frames.append(FrameRef(path, index, index / FPS))
    return frames


async def test_scene_changes_are_found_at_the_cuts_only(tmp_path: Path) -> None:
    frames = synthetic_clip(tmp_path)

    changes = await detect_scene_changes(frames)

    assert [change.frame_index for change in changes] == [6, 12]
    assert [format_timestamp(change.timestamp_seconds) for change in changes] == [
        "00:02.0",
        "00:04.0",
    ]
    assert all(0.3 <= change.score <= 1 for change in changes)


async def test_dominant_colors_reflect_the_shots(tmp_path: Path) -> None:
    colors = await dominant_colors(synthetic_clip(tmp_path), count=4)

    assert abs(sum(color.share for color in colors) - 1) < 0.01
    assert colors == sorted(colors, key=lambda color: color.share, reverse=True)
    rgb = [tuple(int(c.hex[i : i + 2], 16) for i in (1, 3, 5)) for c in colors]
    blueish = [r < 80 and b > 120 for r, _, b in rgb]
    orangeish = [r > 200 and b < 90 for r, _, b in rgb]
    assert any(blueish) and any(orangeish)


def test_single_colour_image_is_that_colour(tmp_path: Path) -> None:
    path = tmp_path / "red.png"
    Image.new("RGB", (50, 50), (200, 10, 10)).save(path)

    [color] = find_dominant_colors([path], count=3)

    assert color.hex == "#c80a0a" and color.share == 1.0


def test_timestamps_and_sampling() -> None:
    assert format_timestamp(0) == "00:00.0"
    assert format_timestamp(75.26) == "01:15.3"
    assert format_timestamp(3725.0) == "1:02:05.0"
    assert format_timestamp(None) is None
    frames = [FrameRef(Path(f"{i}.jpg"), i) for i in range(10)]
    assert [f.index for f in evenly_spaced(frames, 4)] == [0, 3, 6, 9]
