"""Geometry and lettering of contact sheets."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

MAX_TILE_WIDTH = 512
MAX_SHEET_SIDE = 1600
GUTTER = 6
MAX_TILE_HEIGHT = MAX_SHEET_SIDE // 2


def max_tile_size(cols: int) -> tuple[int, int]:
    """The box every frame is fitted into on a sheet with ``cols`` columns."""
    return min(MAX_TILE_WIDTH, (MAX_SHEET_SIDE - GUTTER * (cols + 1)) // cols), MAX_TILE_HEIGHT


@dataclass(frozen=True)
class SheetLayout:
    cols: int
    tile_width: int
    tile_height: int

    @classmethod
    def for_frames(cls, frame_width: int, frame_height: int, cols: int) -> SheetLayout:
        """Tiles as wide as possible up to 512 px, the sheet within ~1600 px."""
        width = max_tile_size(cols)[0]
        height = max(1, round(width * frame_height / max(frame_width, 1)))
        if height > MAX_TILE_HEIGHT:  # tall portrait frames: keep two rows on a sheet
            width = max(1, round(width * MAX_TILE_HEIGHT / height))
            height = MAX_TILE_HEIGHT
        return cls(cols, width, height)

    @property
    def tile_size(self) -> tuple[int, int]:
        return self.tile_width, self.tile_height

    @property
    def font_size(self) -> int:
        return max(14, self.tile_width // 18)

    def image_size(self, frame_width: int, frame_height: int, *, jpeg: bool) -> tuple[int, int]:
        """The size a frame takes in its tile: as Pillow's JPEG draft then ``thumbnail``
        size it, which is how sheets have always been made, so tile boxes stay put."""
        width, height = (
            _drafted(frame_width, frame_height, self.tile_size)
            if jpeg
            else (frame_width, frame_height)
        )
        box_width, box_height = self.tile_size
        if box_width >= width and box_height >= height:
            return width, height
        aspect = width / height
        if box_width / box_height >= aspect:
            return _nearest(box_height * aspect, lambda n: abs(aspect - n / box_height)), box_height
        return box_width, _nearest(
            box_width / aspect, lambda n: abs(aspect - box_width / n) if n else 0.0
        )

    def sheet_size(self, rows: int) -> tuple[int, int]:
        return (
            self.cols * self.tile_width + (self.cols + 1) * GUTTER,
            rows * self.tile_height + (rows + 1) * GUTTER,
        )

    def image_origin(self, position: int, image_size: tuple[int, int]) -> tuple[int, int]:
        """Top-left corner of an image centred in its tile."""
        row, col = divmod(position, self.cols)
        cell_x = GUTTER + col * (self.tile_width + GUTTER)
        cell_y = GUTTER + row * (self.tile_height + GUTTER)
        return (
            cell_x + (self.tile_width - image_size[0]) // 2,
            cell_y + (self.tile_height - image_size[1]) // 2,
        )


def _drafted(width: int, height: int, size: tuple[int, int]) -> tuple[int, int]:
    """A JPEG decoded at the largest 1/8, 1/4 or 1/2 scale still covering ``size``."""
    scale = min(width // size[0], height // size[1])
    factor = next(f for f in (8, 4, 2, 1) if scale >= f or f == 1)
    return -(-width // factor), -(-height // factor)


def _nearest(value: float, distortion: Callable[[int], float]) -> int:
    return max(min(math.floor(value), math.ceil(value), key=distortion), 1)


def format_timestamp(seconds: float) -> str:
    """``MM:SS.s``, or ``HH:MM:SS.s`` from one hour on."""
    tenths = round(max(seconds, 0.0) * 10)
    hours, rest = divmod(tenths, 36_000)
    minutes, rest = divmod(rest, 600)
    clock = f"{minutes:02d}:{rest // 10:02d}.{rest % 10}"
    return f"{hours:02d}:{clock}" if hours else clock


def stamp_timestamp(
    sheet: Image.Image, box: tuple[int, int, int, int], seconds: float, font_size: int
) -> None:
    """White text on a black box in the image's bottom-left corner."""
    draw = ImageDraw.Draw(sheet)
    font = _font(font_size)
    text = format_timestamp(seconds)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad = max(3, font_size // 4)
    x, y, _, height = box
    box_bottom = y + height
    box_top = box_bottom - (bottom - top) - 2 * pad
    draw.rectangle((x, box_top, x + (right - left) + 2 * pad, box_bottom), fill=(0, 0, 0))
    draw.text((x + pad - left, box_top + pad - top), text, font=font, fill=(255, 255, 255))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)
