from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from media_analysis.media.contact_sheet import build_contact_sheets, parse_grid
from media_analysis.media.frame_sheets import extract_frames_and_sheets
from media_analysis.media.frames import extract_frames
from media_analysis.media.sheet_layout import format_timestamp
from tests.media import clips


@pytest.mark.parametrize(
    ("text", "grid"), [("2x3", (2, 3)), ("3X3", (3, 3)), (" 1 x 4 ", (1, 4)), ("2×2", (2, 2))]
)
def test_parse_grid(text: str, grid: tuple[int, int]) -> None:
    assert parse_grid(text) == grid


@pytest.mark.parametrize("text", ["", "2", "2x", "x3", "0x3", "2x0", "2x3x4", "a x b", "11x1"])
def test_parse_grid_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_grid(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00.0"), (1 / 3, "00:00.3"), (59.96, "01:00.0"), (754.25, "12:34.2"),
     (3600, "01:00:00.0"), (3723.5, "01:02:03.5")],
)  # fmt: skip
def test_format_timestamp(seconds: float, text: str) -> None:
    assert format_timestamp(seconds) == text


async def test_big_buck_bunny_gives_three_sheets(tmp_path: Path) -> None:
    result = await extract_frames_and_sheets(clips.BIG_BUCK_BUNNY, tmp_path, fps=3, grid=(2, 3))

    assert len(result.frames) == 16
    assert [len(sheet.tiles) for sheet in result.sheets] == [6, 6, 4]
    tiles = [tile for sheet in result.sheets for tile in sheet.tiles]
    assert [tile.frame_index for tile in tiles] == [frame.index for frame in result.frames]
    assert [tile.timestamp for tile in tiles] == [frame.timestamp for frame in result.frames]
    for sheet in result.sheets:
        with Image.open(sheet.path) as image:
            assert image.size == (sheet.width, sheet.height)
        assert sheet.width <= 1600
        for tile in sheet.tiles:
            x, y, width, height = tile.box
            assert x >= 0 and y >= 0 and x + width <= sheet.width and y + height <= sheet.height
            assert width == 512 and height == 288


async def test_tiles_show_the_frames_and_a_timestamp_box(tmp_path: Path) -> None:
    frames = await extract_frames(clips.BIG_BUCK_BUNNY, tmp_path / "frames", fps=1)
    sheets = build_contact_sheets(frames, tmp_path / "sheets", grid=(1, 2), image_format="png")

    tile = sheets[0].tile_at(1)
    with Image.open(sheets[0].path) as sheet, Image.open(frames[1].path) as frame:
        x, y, width, height = tile.box
        sheet_rgb = sheet.convert("RGB")
        expected = frame.convert("RGB").resize((width, height)).getpixel((width // 2, 10))
        actual = sheet_rgb.getpixel((x + width // 2, y + 10))
        assert isinstance(expected, tuple) and isinstance(actual, tuple)
        assert all(abs(a - b) < 40 for a, b in zip(actual, expected, strict=True))
        assert sheet_rgb.getpixel((x + 1, y + height - 2)) == (0, 0, 0)  # label box


async def test_portrait_frames_stay_portrait(tmp_path: Path, rotated_video: Path) -> None:
    result = await extract_frames_and_sheets(rotated_video, tmp_path, fps=2, grid=(2, 2))

    assert [len(sheet.tiles) for sheet in result.sheets] == [4, 2]
    for sheet in result.sheets:
        assert sheet.width <= 1600 and sheet.height <= 1700
        for tile in sheet.tiles:
            _, _, width, height = tile.box
            assert height > width
