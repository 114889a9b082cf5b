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


@dataclass(frozen=True)
class DominantColor:
    hex: str
    share: float
    """Fraction of the sampled pixels, 0–1."""


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
