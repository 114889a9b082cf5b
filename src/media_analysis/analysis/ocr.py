"""Text recognition with RapidOCR, whose ONNX models ship inside its wheel (no download).

The engine is loaded once per process, on first use, with one thread per inference:
callers that have several images read them on parallel threads instead, which keeps
every core busy without the spinning of ONNX Runtime's own thread pool. Threads may
share the engine because frames all reach it at ``FRAME_SIDE`` on their longest side:
the detector stores a resize limit per call, and every limit it picks leaves such
images unscaled. Recognition is CPU-bound; the async entry point runs it in a
memory-limited child process.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from media_analysis.sandbox.pool import DEFAULT_SANDBOX, Sandbox

DEFAULT_MIN_CONFIDENCE = 0.5
# Smaller images are enlarged to this longest side: small text needs the pixels.
DETECTION_SIDE = 960
# Video frames are brought to this one: text meant to be read in a video is large, and
# detection cost grows with the pixels.
FRAME_SIDE = 640

_engine: Any = None
_engine_lock = threading.Lock()


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    box: tuple[tuple[float, float], ...]
    """Corner points in pixels of the image as given, clockwise from top-left."""

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
    image: Image.Image,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    longest_side: int | None = None,
) -> list[OcrLine]:
    """The lines of text in ``image``, in reading order. Blocking.

    ``longest_side`` scales the image to that size before detection.
    """
    prepared, scale = _detection_ready(image.convert("RGB"), longest_side)
    result, _timings = loaded_engine()(np.asarray(prepared))
    lines = [_ocr_line(entry, scale) for entry in result or []]
    return [line for line in lines if line.confidence >= min_confidence and line.text]


async def read_text(
    image: Image.Image,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    sandbox: Sandbox = DEFAULT_SANDBOX,
) -> list[OcrLine]:
    return await sandbox.run(
        functools.partial(recognise_text, image, min_confidence=min_confidence)
    )


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


def loaded_engine() -> Any:
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]

            _engine = RapidOCR(det_limit_type="max", intra_op_num_threads=1, inter_op_num_threads=1)
        return _engine


def _detection_ready(image: Image.Image, longest_side: int | None) -> tuple[Image.Image, float]:
    longest = max(image.size)
    target = longest_side or max(longest, DETECTION_SIDE)
    if target == longest:
        return image, 1.0
    scale = target / longest
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR), scale


def _ocr_line(entry: Sequence[Any], scale: float) -> OcrLine:
    box, text, score = entry[0], entry[1], entry[2]
    corners = tuple((float(x) / scale, float(y) / scale) for x, y in box)
    return OcrLine(text=str(text), confidence=float(score), box=corners)
