"""Scene changes between consecutive frames.

Each frame is reduced to a small signature: a per-channel colour histogram and a tiny
grey thumbnail. Two frames differ by the mean of their histogram distance (what colours
are present) and their thumbnail difference (where things are). Only the previous
signature is kept, so memory does not grow with the number of frames.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

from media_analysis.analysis.frames import FrameRef
from media_analysis.analysis.images import DEFAULT_MAX_PIXELS, reduced_copy
from media_analysis.sandbox.pool import DEFAULT_SANDBOX, Sandbox

DEFAULT_THRESHOLD = 0.3
THUMBNAIL_SIZE = (64, 64)
HISTOGRAM_BINS = 16


@dataclass(frozen=True)
class SceneChange:
    frame_index: int
    timestamp_seconds: float | None
    score: float
    """0 (identical) to 1 (nothing in common)."""


@dataclass(frozen=True)
class FrameSignature:
    histogram: npt.NDArray[np.float64]
    thumbnail: npt.NDArray[np.float64]


def frame_signature(image: Image.Image) -> FrameSignature:
    small = image.convert("RGB").resize(THUMBNAIL_SIZE, Image.Resampling.BILINEAR)
    pixels = np.asarray(small, dtype=np.float64)
    channels = [
        np.histogram(pixels[:, :, c], bins=HISTOGRAM_BINS, range=(0, 256))[0] for c in range(3)
    ]
    histogram = np.concatenate(channels).astype(np.float64) / pixels[:, :, 0].size
    grey = np.asarray(small.convert("L"), dtype=np.float64) / 255.0
    return FrameSignature(histogram=histogram, thumbnail=grey)


def difference(a: FrameSignature, b: FrameSignature) -> float:
    # Each channel's histogram sums to 1, so the L1 distance over three channels is at most 6.
    histogram_distance = float(np.abs(a.histogram - b.histogram).sum()) / 6.0
    pixel_distance = float(np.abs(a.thumbnail - b.thumbnail).mean())
    return (histogram_distance + pixel_distance) / 2.0


def scene_changes(
    frames: Sequence[FrameRef],
    signatures: Iterable[FrameSignature],
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[SceneChange]:
    """Frames that start a new scene (the first frame is not counted)."""
    changes: list[SceneChange] = []
    previous: FrameSignature | None = None
    for frame, current in zip(frames, signatures, strict=True):
        if previous is not None:
            score = difference(previous, current)
            if score >= threshold:
                changes.append(SceneChange(frame.index, frame.timestamp_seconds, round(score, 3)))
        previous = current
    return changes


def find_scene_changes(
    frames: Sequence[FrameRef],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> list[SceneChange]:
    """Blocking; signatures are made one at a time, so memory does not grow with frames."""
    signatures = (
        frame_signature(reduced_copy(frame.path, max_pixels, THUMBNAIL_SIZE)) for frame in frames
    )
    return scene_changes(frames, signatures, threshold=threshold)


async def detect_scene_changes(
    frames: Sequence[FrameRef],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    sandbox: Sandbox = DEFAULT_SANDBOX,
) -> list[SceneChange]:
    return await sandbox.run(functools.partial(find_scene_changes, frames, threshold=threshold))
