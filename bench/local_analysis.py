"""Local analysis stage: the service's one-pass child vs the old way (OCR on 12 full frames).

    .venv/bin/python bench/local_analysis.py [--video tests/data/bigbuckbunny.mp4] [--runs 3]

Extracts the video's frames at 3 fps with ffmpeg, then times, in the same process:

- baseline: what the stage did before, in-process: scene signatures and colour tiles
  from full decodes, and a default RapidOCR engine on up to 12 evenly spaced full-size
  frames, one after another;
- service: ``run_local_analysis`` as a job runs it (one call into a warm child).

Each is warmed up once (engine loading is not counted), then the median of ``--runs``
is printed with the ratio. Figures only; nothing fails on them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from media_analysis.analysis.colors import colour_tile, colours_of_tiles
from media_analysis.analysis.frames import FrameRef, evenly_spaced
from media_analysis.analysis.local_answer import run_local_analysis
from media_analysis.analysis.scenes import frame_signature, scene_changes
from media_analysis.media.binaries import ffmpeg_path

REPO = Path(__file__).resolve().parents[1]


def extract_frames(video: Path, folder: Path) -> list[FrameRef]:
    subprocess.run(
        [
            ffmpeg_path(),
            "-v",
            "error",
            "-i",
            str(video),
            "-vf",
            "fps=3",
            str(folder / "f_%05d.jpg"),
        ],
        check=True,
    )
    paths = sorted(folder.glob("f_*.jpg"))
    return [FrameRef(path, index, index / 3) for index, path in enumerate(paths)]


def old_stage(engine: Any, frames: list[FrameRef]) -> None:
    signatures, tiles = [], []
    for frame in frames:
        with Image.open(frame.path) as image:
            signatures.append(frame_signature(image))
            tiles.append(colour_tile(image))
    scene_changes(frames, signatures)
    colours_of_tiles(evenly_spaced(tiles, 24))
    for frame in evenly_spaced(frames, 12):
        with Image.open(frame.path) as image:
            engine(np.asarray(image.convert("RGB")))


def median_seconds(run: Callable[[], object], runs: int) -> float:
    run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--video", type=Path, default=REPO / "tests" / "data" / "bigbuckbunny.mp4")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory() as folder:
        frames = extract_frames(options.video, Path(folder))
        engine = RapidOCR()
        baseline = median_seconds(lambda: old_stage(engine, frames), options.runs)
        loop = asyncio.new_event_loop()
        facts = {"media_type": "video"}
        service = median_seconds(
            lambda: loop.run_until_complete(run_local_analysis("?", frames, media_facts=facts)),
            options.runs,
        )
        loop.close()
    print(f"{len(frames)} frames from {options.video.name}")
    print(f"baseline (old stage, in-process): {baseline:.2f} s")
    print(f"service (child, one pass):        {service:.2f} s")
    print(f"ratio service/baseline:           {service / baseline:.2f}")


if __name__ == "__main__":
    main()
