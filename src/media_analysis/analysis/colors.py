"""The few colours that cover most of a set of images, by median-cut quantisation."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from media_analysis.analysis.frames import FrameRef, evenly_spaced

TILE_SIZE = 96
MAX_SAMPLED_IMAGES = 24


@dataclass(frozen=True)
class DominantColor:
    hex: str
    share: float
    """Fraction of the sampled pixels, 0–1."""


def find_dominant_colors(paths: Sequence[Path], *, count: int = 5) -> list[DominantColor]:
    """Blocking; every image weighs the same whatever its size."""
    if not paths:
        return []
    mosaic = _mosaic(paths)
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


async def dominant_colors(frames: Sequence[FrameRef], *, count: int = 5) -> list[DominantColor]:
    sampled = [frame.path for frame in evenly_spaced(list(frames), MAX_SAMPLED_IMAGES)]
    return await asyncio.to_thread(find_dominant_colors, sampled, count=count)


def _mosaic(paths: Sequence[Path]) -> Image.Image:
    mosaic = Image.new("RGB", (TILE_SIZE * len(paths), TILE_SIZE))
    for position, path in enumerate(paths):
        with Image.open(path) as image:
            tile = image.convert("RGB").resize((TILE_SIZE, TILE_SIZE), Image.Resampling.BILINEAR)
        mosaic.paste(tile, (position * TILE_SIZE, 0))
    return mosaic


def _hex(palette: Sequence[int], index: int) -> str:
    red, green, blue = palette[3 * index : 3 * index + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"
