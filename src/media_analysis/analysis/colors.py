"""The few colours that cover most of a set of images, by median-cut quantisation."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from media_analysis.analysis.frames import FrameRef, evenly_spaced
from media_analysis.analysis.images import DEFAULT_MAX_PIXELS, reduced_copy
from media_analysis.sandbox.pool import DEFAULT_SANDBOX, Sandbox

TILE_SIZE = 96
MAX_SAMPLED_IMAGES = 24


# Names people use for colours, each at a typical shade; a colour takes the nearest name.
NAMED_COLOURS = {
    "black": (0, 0, 0),
    "dark grey": (80, 80, 80),
    "grey": (128, 128, 128),
    "light grey": (200, 200, 200),
    "white": (255, 255, 255),
    "red": (220, 30, 30),
    "dark red": (128, 0, 0),
    "pink": (255, 160, 190),
    "orange": (255, 140, 0),
    "brown": (130, 80, 40),
    "beige": (225, 205, 165),
    "yellow": (250, 220, 30),
    "olive": (128, 128, 0),
    "green": (40, 160, 50),
    "light green": (150, 220, 120),
    "dark green": (0, 90, 30),
    "teal": (0, 128, 128),
    "cyan": (0, 220, 230),
    "light blue": (150, 200, 240),
    "blue": (30, 80, 220),
    "navy": (10, 20, 100),
    "purple": (120, 40, 160),
    "violet": (190, 130, 230),
    "magenta": (230, 40, 200),
}


@dataclass(frozen=True)
class DominantColor:
    hex: str
    share: float
    """Fraction of the sampled pixels, 0–1."""

    @property
    def name(self) -> str:
        return colour_name(self.hex)


@dataclass(frozen=True)
class SceneColour:
    """The colour that fills the screen over one stretch between scene changes."""

    start_seconds: float
    end_seconds: float
    colour: DominantColor


def colour_name(hex_colour: str) -> str:
    """``#fc0203`` → ``red``: the nearest name, by a distance weighted as eyes weigh it."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))

    def distance(named: tuple[int, int, int]) -> float:
        mean_red = (red + named[0]) / 2
        d_red, d_green, d_blue = red - named[0], green - named[1], blue - named[2]
        return (
            (2 + mean_red / 256) * d_red**2
            + 4 * d_green**2
            + (2 + (255 - mean_red) / 256) * d_blue**2
        )

    return min(NAMED_COLOURS, key=lambda name: distance(NAMED_COLOURS[name]))


def colour_tile(image: Image.Image) -> Image.Image:
    """Every image weighs the same in the mosaic whatever its size."""
    return image.convert("RGB").resize((TILE_SIZE, TILE_SIZE), Image.Resampling.BILINEAR)


def colours_of_tiles(tiles: Sequence[Image.Image], *, count: int = 5) -> list[DominantColor]:
    if not tiles:
        return []
    mosaic = Image.new("RGB", (TILE_SIZE * len(tiles), TILE_SIZE))
    for position, tile in enumerate(tiles):
        mosaic.paste(tile, (position * TILE_SIZE, 0))
    quantized = mosaic.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    pixel_counts = quantized.getcolors() or []
    total = sum(n for n, _ in pixel_counts)
    colors = [
        DominantColor(_hex(palette, index), round(n / total, 3))
        for n, index in sorted(pixel_counts, key=lambda pair: pair[0], reverse=True)
        if isinstance(index, int)
    ]
    return [color for color in colors if color.share > 0]


def find_dominant_colors(
    paths: Sequence[Path], *, count: int = 5, max_pixels: int = DEFAULT_MAX_PIXELS
) -> list[DominantColor]:
    """Blocking."""
    size = (TILE_SIZE, TILE_SIZE)
    tiles = [colour_tile(reduced_copy(path, max_pixels, size)) for path in paths]
    return colours_of_tiles(tiles, count=count)


async def dominant_colors(
    frames: Sequence[FrameRef], *, count: int = 5, sandbox: Sandbox = DEFAULT_SANDBOX
) -> list[DominantColor]:
    sampled = [frame.path for frame in evenly_spaced(list(frames), MAX_SAMPLED_IMAGES)]
    return await sandbox.run(functools.partial(find_dominant_colors, sampled, count=count))


def _hex(palette: Sequence[int], index: int) -> str:
    red, green, blue = palette[3 * index : 3 * index + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"
