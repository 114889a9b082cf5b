"""Everything local analysis measures in a set of frames, in one pass in a child process.

Each frame is decoded once at reduced scale for its scene signature, its colour tile
and a detail map. Text is read only in frames that look different from the ones
already chosen (a repeat of an earlier frame is skipped), at most ``max_ocr_frames`` of
them spread over the whole video, each scaled to ``FRAME_SIDE`` and read on parallel
threads. The work stops growing with the video's length: at most
``MAX_MEASURED_FRAMES`` frames, evenly spaced, are decoded at all.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

from media_analysis.analysis.colors import (
    DominantColor,
    SceneColour,
    colour_tile,
    colours_of_tiles,
)
from media_analysis.analysis.frames import FrameRef, evenly_spaced
from media_analysis.analysis.images import DEFAULT_MAX_PIXELS, open_image, reduced_copy
from media_analysis.analysis.ocr import FRAME_SIDE, FrameText, OcrLine, joined_text, recognise_text
from media_analysis.analysis.scenes import (
    FrameSignature,
    SceneChange,
    frame_signature,
    scene_changes,
)
from media_analysis.sandbox.pool import DEFAULT_SANDBOX, Sandbox

MAX_MEASURED_FRAMES = 240
MAX_OCR_FRAMES = 12
MAX_COLOUR_TILES = 24
DETAIL_SIDE = 128
DETAIL_BLOCK = 8
# A frame is new when some 8×8 block of its 128×128 grey map changed this much on
# average: text appearing in one corner is enough, compression noise is not.
DISTINCT_BLOCK_CHANGE = 0.08
RECENT_CHOICES = 8
MAX_THREADS = 4

Detail = npt.NDArray[np.float32]


@dataclass(frozen=True)
class FrameMeasurements:
    texts: list[FrameText]
    scenes: list[SceneChange]
    colours: list[DominantColor]
    scene_colours: list[SceneColour]


@dataclass(frozen=True)
class FrameView:
    signature: FrameSignature
    detail: Detail
    tile: Image.Image


def measure_frames(
    frames: Sequence[FrameRef], *, max_ocr_frames: int, max_pixels: int
) -> FrameMeasurements:
    """Blocking; meant for the child process (``media_analysis.sandbox``)."""
    sampled = evenly_spaced(list(frames), MAX_MEASURED_FRAMES)
    with ThreadPoolExecutor(cpu_budget()) as pool:
        views = list(pool.map(functools.partial(view_of, max_pixels=max_pixels), sampled))
        readable = evenly_spaced(distinct_frames(sampled, views), max_ocr_frames)
        lines = list(pool.map(functools.partial(frame_lines, max_pixels=max_pixels), readable))
    tiles = [view.tile for view in evenly_spaced(views, MAX_COLOUR_TILES)]
    scenes = timed_scenes(sampled, views)
    return FrameMeasurements(
        frame_texts(readable, lines),
        scenes,
        colours_of_tiles(tiles),
        colours_between_scenes(sampled, views, scenes),
    )


def colours_between_scenes(
    frames: Sequence[FrameRef], views: Sequence[FrameView], scenes: Sequence[SceneChange]
) -> list[SceneColour]:
    """For each stretch between scene changes, the colour that fills most of the screen."""
    timed = [
        (frame.timestamp_seconds, view.tile)
        for frame, view in zip(frames, views, strict=True)
        if frame.timestamp_seconds is not None
    ]
    if not timed:
        return []
    cuts = sorted(s.timestamp_seconds for s in scenes if s.timestamp_seconds is not None)
    bounds = [timed[0][0], *cuts, timed[-1][0]]
    stretches = []
    for start, end in itertools.pairwise(bounds):
        last = end == bounds[-1]
        tiles = [tile for at, tile in timed if start <= at < end or (last and at == end)]
        found = colours_of_tiles(evenly_spaced(tiles, MAX_COLOUR_TILES), count=3)
        if found:
            stretches.append(SceneColour(start, end, found[0]))
    return stretches


async def measure_in_child(
    frames: Sequence[FrameRef],
    *,
    max_ocr_frames: int = MAX_OCR_FRAMES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    sandbox: Sandbox = DEFAULT_SANDBOX,
) -> FrameMeasurements:
    """``measure_frames`` run in a memory-limited child process."""
    measure = functools.partial(
        measure_frames, frames, max_ocr_frames=max_ocr_frames, max_pixels=max_pixels
    )
    return await sandbox.run(measure)


async def read_text_in_frames(
    frames: Sequence[FrameRef],
    *,
    max_frames: int = MAX_OCR_FRAMES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    sandbox: Sandbox = DEFAULT_SANDBOX,
) -> list[FrameText]:
    found = await measure_in_child(
        frames, max_ocr_frames=max_frames, max_pixels=max_pixels, sandbox=sandbox
    )
    return found.texts


def timed_scenes(frames: Sequence[FrameRef], views: Sequence[FrameView]) -> list[SceneChange]:
    """Scene changes between frames that have a moment in time (a still image has none)."""
    pairs = zip(frames, views, strict=True)
    timed = [
        (frame, view.signature) for frame, view in pairs if frame.timestamp_seconds is not None
    ]
    if len(timed) < 2:
        return []
    return scene_changes([frame for frame, _ in timed], [signature for _, signature in timed])


def cpu_budget() -> int:
    return max(1, min(MAX_THREADS, len(os.sched_getaffinity(0))))


def view_of(frame: FrameRef, *, max_pixels: int) -> FrameView:
    small = reduced_copy(frame.path, max_pixels, (DETAIL_SIDE, DETAIL_SIDE))
    return FrameView(frame_signature(small), detail_map(small), colour_tile(small))


def detail_map(image: Image.Image) -> Detail:
    grey = image.convert("L").resize((DETAIL_SIDE, DETAIL_SIDE), Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.float32) / 255.0


def looks_different(a: Detail, b: Detail) -> bool:
    blocks = DETAIL_SIDE // DETAIL_BLOCK
    change = np.abs(a - b).reshape(blocks, DETAIL_BLOCK, blocks, DETAIL_BLOCK).mean(axis=(1, 3))
    return bool(change.max() >= DISTINCT_BLOCK_CHANGE)


def distinct_frames(frames: Sequence[FrameRef], views: Sequence[FrameView]) -> list[FrameRef]:
    """Frames unlike each of the last few chosen: repeats of a recent frame are skipped."""
    chosen: list[FrameRef] = []
    recent: list[Detail] = []
    for frame, view in zip(frames, views, strict=True):
        if all(looks_different(view.detail, earlier) for earlier in recent):
            chosen.append(frame)
            recent = [*recent[-(RECENT_CHOICES - 1) :], view.detail]
    return chosen


def frame_lines(frame: FrameRef, *, max_pixels: int) -> list[OcrLine]:
    with open_image(frame.path, max_pixels) as image:
        image.draft("RGB", (FRAME_SIDE, FRAME_SIDE))
        return recognise_text(image, longest_side=FRAME_SIDE)


def frame_texts(frames: Sequence[FrameRef], lines: Sequence[list[OcrLine]]) -> list[FrameText]:
    """The text of each frame that has some; a repeat of the previous text is dropped."""
    found: list[FrameText] = []
    for frame, read in zip(frames, lines, strict=True):
        text = joined_text(read)
        if not text or (found and found[-1].text == text):
            continue
        confidence = min(line.confidence for line in read)
        found.append(FrameText(frame.index, frame.timestamp_seconds, text, round(confidence, 3)))
    return found
