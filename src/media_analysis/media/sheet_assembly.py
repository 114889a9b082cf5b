"""Contact sheets assembled while ffmpeg decodes, from the tiles it streams.

ffmpeg reports each sampled frame (its showinfo line, on stderr) and writes the
frame's downscaled copy (a PPM image, on stdout); the two pipes are read side by
side, so either may arrive first. A sheet is composed as soon as all of its
frames and tiles are in, so at most about one sheet's tiles wait in memory.
"""

from __future__ import annotations

import asyncio
from collections import deque
from pathlib import Path

from PIL import Image

from media_analysis.media.contact_sheet import ContactSheet, compose_sheet
from media_analysis.media.frames import Frame, ImageFormat
from media_analysis.media.sheet_layout import max_tile_size

PPM_HEADER_LINES = 3  # "P6", "width height", "maxval"


class SheetAssembler:
    """A TileSink that turns every rows*cols frames into a stamped contact sheet."""

    def __init__(self, out_dir: Path, grid: tuple[int, int], image_format: ImageFormat) -> None:
        self._out_dir = out_dir
        self._cols = grid[1]
        self._per_sheet = grid[0] * grid[1]
        self._image_format = image_format
        self._frames: deque[Frame] = deque()
        self._tiles: deque[Image.Image] = deque()
        self._composing = asyncio.Lock()  # both pipes' readers compose; sheets stay in order
        self.sheets: list[ContactSheet] = []

    @property
    def max_size(self) -> tuple[int, int]:
        return max_tile_size(self._cols)

    async def add_frame(self, frame: Frame) -> None:
        self._frames.append(frame)
        await self._compose_full_sheets()

    async def read_tiles(self, stream: asyncio.StreamReader) -> None:
        while (tile := await read_ppm(stream)) is not None:
            self._tiles.append(tile)
            await self._compose_full_sheets()

    async def finish(self) -> list[ContactSheet]:
        """The last, partly filled sheet; a frame whose tile never came is read from its file."""
        while self._frames:
            count = min(self._per_sheet, len(self._frames))
            tiles = [self._tiles.popleft() if self._tiles else None for _ in range(count)]
            await self._compose([self._frames.popleft() for _ in range(count)], tiles)
        return self.sheets

    async def _compose_full_sheets(self) -> None:
        async with self._composing:
            while min(len(self._frames), len(self._tiles)) >= self._per_sheet:
                frames = [self._frames.popleft() for _ in range(self._per_sheet)]
                tiles: list[Image.Image | None] = [
                    self._tiles.popleft() for _ in range(self._per_sheet)
                ]
                await self._compose(frames, tiles)

    async def _compose(self, frames: list[Frame], tiles: list[Image.Image | None]) -> None:
        sheet = await asyncio.to_thread(
            compose_sheet,
            len(self.sheets),
            list(zip(frames, tiles, strict=True)),
            self._out_dir,
            cols=self._cols,
            image_format=self._image_format,
        )
        self.sheets.append(sheet)


async def read_ppm(stream: asyncio.StreamReader) -> Image.Image | None:
    """The next binary PPM image of ``stream``, or None at its end (or a cut-off image)."""
    try:
        header = [await stream.readuntil(b"\n") for _ in range(PPM_HEADER_LINES)]
        width, height = (int(value) for value in header[1].split())
        pixels = await stream.readexactly(width * height * 3)
    except asyncio.IncompleteReadError:
        return None
    return Image.frombuffer("RGB", (width, height), pixels, "raw", "RGB", 0, 1)
