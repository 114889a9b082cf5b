"""Text recognition with RapidOCR, whose ONNX models ship inside its wheel (no download).

The engine is loaded once per process, on first use. Recognition is CPU-bound and
blocking, so the async entry points run it in a worker thread; calls are serialised
because the engine keeps per-call settings on itself and the cores are better spent
on one image at a time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from media_analysis.analysis.frames import FrameRef, evenly_spaced

DEFAULT_MIN_CONFIDENCE = 0.5

_engine: Any = None
_engine_lock = threading.Lock()


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    box: tuple[tuple[float, float], ...]
    """Corner points in pixels, clockwise from top-left."""

    @property
    def top(self) -> float:
        return min(y for _, y in self.box)

    @property
    def bottom(self) -> float:
        return max(y for _, y in self.box)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def left(self) -> float:
        return min(x for x, _ in self.box)


@dataclass(frozen=True)
class FrameText:
    frame_index: int
    timestamp_seconds: float | None
    text: str
    confidence: float


def recognise_text(
    image: Image.Image, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> list[OcrLine]:
    """The lines of text in ``image``, in reading order. Blocking."""
    with _engine_lock:
        result, _timings = _loaded_engine()(image.convert("RGB"))
    lines = [_ocr_line(entry) for entry in result or []]
    return [line for line in lines if line.confidence >= min_confidence and line.text]


def recognise_text_in_file(
    path: Path, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> list[OcrLine]:
    with Image.open(path) as image:
        return recognise_text(image, min_confidence=min_confidence)


async def read_text(
    source: Path | Image.Image, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> list[OcrLine]:
    if isinstance(source, Path):
        return await asyncio.to_thread(
            recognise_text_in_file, source, min_confidence=min_confidence
        )
    return await asyncio.to_thread(recognise_text, source, min_confidence=min_confidence)


async def read_text_in_frames(
    frames: Sequence[FrameRef], *, max_frames: int = 12
) -> list[FrameText]:
    """Text read in up to ``max_frames`` frames; a repeat of the previous text is dropped."""
    found: list[FrameText] = []
    for frame in evenly_spaced(list(frames), max_frames):
        lines = await read_text(frame.path)
        text = joined_text(lines)
        if not text or (found and found[-1].text == text):
            continue
        confidence = min(line.confidence for line in lines)
        found.append(FrameText(frame.index, frame.timestamp_seconds, text, round(confidence, 3)))
    return found


def joined_text(lines: Sequence[OcrLine]) -> str:
    """Boxes on the same visual line joined left to right, lines top to bottom."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda item: item.top):
        if rows and rows[-1][0].top <= line.middle <= rows[-1][0].bottom:
            rows[-1].append(line)
        else:
            rows.append([line])
    texts = (
        " ".join(box.text.strip() for box in sorted(row, key=lambda b: b.left)) for row in rows
    )
    return "\n".join(text for text in texts if text.strip())


def _loaded_engine() -> Any:
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]

        _engine = RapidOCR()
    return _engine


def _ocr_line(entry: Sequence[Any]) -> OcrLine:
    box, text, score = entry[0], entry[1], entry[2]
    corners = tuple((float(x), float(y)) for x, y in box)
    return OcrLine(text=str(text), confidence=float(score), box=corners)
