from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageStat

from media_analysis.media.contact_sheet import (
    ContactSheet,
    SheetTile,
    build_contact_sheets,
    parse_grid,
)
from media_analysis.media.frame_sheets import extract_frames_and_sheets
from media_analysis.media.frames import extract_frames
from media_analysis.media.sheet_layout import SheetLayout, format_timestamp
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


@pytest.mark.parametrize("size", ["852x480", "1280x534", "240x320"])
async def test_tiles_from_the_decode_have_the_boxes_pillow_gives_the_frame_files(
    tmp_path: Path, size: str
) -> None:
    video = clips.make_video(tmp_path / "clip.mp4", seconds=2, size=size)

    result = await extract_frames_and_sheets(video, tmp_path / "out", fps=3, grid=(2, 3))

    assert len(result.frames) == clips.ffmpeg_fps_frame_count(video, 3)
    sheet = result.sheets[0]
    layout = SheetLayout.for_frames(result.frames[0].width, result.frames[0].height, 3)
    with Image.open(sheet.path) as image:
        sheet_rgb = image.convert("RGB")
    for tile, frame in zip(sheet.tiles, result.frames, strict=False):
        with Image.open(frame.path) as source:
            source.draft("RGB", layout.tile_size)
            thumbnail = source.convert("RGB")
        thumbnail.thumbnail(layout.tile_size, Image.Resampling.LANCZOS)
        x, y, width, height = tile.box
        assert (width, height) == thumbnail.size
        assert (x, y) == layout.image_origin(tile_position(sheet, tile), thumbnail.size)
        above_label = (x, y, x + width, y + height // 2)
        shown = ImageStat.Stat(sheet_rgb.crop(above_label)).mean
        source_mean = ImageStat.Stat(thumbnail.crop((0, 0, width, height // 2))).mean
        assert all(abs(a - b) < 4 for a, b in zip(shown, source_mean, strict=True))


def tile_position(sheet: ContactSheet, tile: SheetTile) -> int:
    return sheet.tiles.index(tile)
