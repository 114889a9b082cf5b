"""Contact sheets: frames tiled rows x columns, each stamped with its timestamp."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from media_analysis.media.frames import Frame, ImageFormat
from media_analysis.media.sheet_layout import SheetLayout, stamp_timestamp

Box = tuple[int, int, int, int]
_GRID = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")
_PIL_FORMATS: dict[ImageFormat, str] = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
_SAVE_OPTIONS: dict[ImageFormat, dict[str, Any]] = {"jpg": {"quality": 88}, "webp": {"quality": 85}}


@dataclass(frozen=True)
class SheetTile:
    frame_index: int
    timestamp: float
    box: Box  # x, y, width, height of the frame's pixels on the sheet


@dataclass(frozen=True)
class ContactSheet:
    index: int
    path: Path
    width: int
    height: int
    tiles: tuple[SheetTile, ...]

    def tile_at(self, position: int) -> SheetTile:
        return self.tiles[position]


def parse_grid(text: str) -> tuple[int, int]:
    """``"2x3"`` -> ``(2, 3)``: rows, then columns."""
    match = _GRID.match(text)
    if match is None:
        raise ValueError(f"grid must look like 2x3 (rows x columns), got {text!r}")
    rows, cols = int(match[1]), int(match[2])
    if not (1 <= rows <= 10 and 1 <= cols <= 10):
        raise ValueError("grid rows and columns must be between 1 and 10")
    return rows, cols


def build_contact_sheets(
    frames: Sequence[Frame],
    out_dir: Path,
    *,
    grid: tuple[int, int] = (2, 3),
    image_format: ImageFormat = "jpg",
) -> list[ContactSheet]:
    """One sheet per rows*cols frame files, built and saved one at a time."""
    rows, cols = grid
    per_sheet = rows * cols
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        compose_sheet(
            index, [(frame, None) for frame in frames[start : start + per_sheet]], out_dir,
            cols=cols, image_format=image_format,
        )
        for index, start in enumerate(range(0, len(frames), per_sheet))
    ]  # fmt: skip


def compose_sheet(
    index: int,
    tiles: Sequence[tuple[Frame, Image.Image | None]],
    out_dir: Path,
    *,
    cols: int,
    image_format: ImageFormat,
) -> ContactSheet:
    """Sheet number ``index`` of ``tiles``: each frame with its downscaled image, or
    None to read the frame's own file."""
    first = tiles[0][0]
    layout = SheetLayout.for_frames(first.width, first.height, cols)
    rows = math.ceil(len(tiles) / cols)
    sheet = Image.new("RGB", layout.sheet_size(rows), (24, 24, 24))
    placed = tuple(
        _place_frame(
            sheet, layout, frame, _tile_image(frame, image, layout, image_format), position
        )
        for position, (frame, image) in enumerate(tiles)
    )
    path = out_dir / f"sheet_{index:04d}.{image_format}"
    sheet.save(path, _PIL_FORMATS[image_format], **_SAVE_OPTIONS.get(image_format, {}))
    return ContactSheet(index, path, sheet.width, sheet.height, placed)


def _tile_image(
    frame: Frame, image: Image.Image | None, layout: SheetLayout, image_format: ImageFormat
) -> Image.Image:
    """The frame at its size in the tile, from ffmpeg's downscaled copy or from its file."""
    size = layout.image_size(frame.width, frame.height, jpeg=image_format == "jpg")
    if image is None:
        with Image.open(frame.path) as source:
            source.draft("RGB", layout.tile_size)
            image = source.convert("RGB")
    if image.size != size:  # ffmpeg may round a side the other way than Pillow did
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def _place_frame(
    sheet: Image.Image, layout: SheetLayout, frame: Frame, image: Image.Image, position: int
) -> SheetTile:
    x, y = layout.image_origin(position, image.size)
    sheet.paste(image, (x, y))
    box = (x, y, image.width, image.height)
    stamp_timestamp(sheet, box, frame.timestamp, layout.font_size)
    return SheetTile(frame.index, frame.timestamp, box)
