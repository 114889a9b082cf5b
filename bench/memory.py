"""Peak memory of frame + contact-sheet extraction on a short and a long generated video.

Generates a 1-minute and a ``--long-minutes`` (default 60) test video with ffmpeg
(320x240 testsrc2 + sine, libx264 ultrafast), then, for each, runs in a fresh child
Python process:

* a baseline: import ``media_analysis.media.frame_sheets`` and ``probe_media`` the file;
* the work: the same, then ``extract_frames_and_sheets(fps=3, grid=(2, 3), "jpg")``.

It records the child's own peak RSS (``ru_maxrss``, reported by the child), the peak
summed RSS of its live descendants (ffmpeg/ffprobe; psutil poll every 50 ms from here),
the largest descendant's ``ru_maxrss`` as the child saw it, wall time, frames and sheets,
and prints the long/short ratio. It reports; it never asserts.

    .venv/bin/python bench/memory.py [--long-minutes 60] [--json]

Run as a script from bench/, where ``bench/http.py`` shadows the standard library's
``http`` package: bench/ is taken off ``sys.path`` before anything else is imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
POLL_SECONDS = 0.05
PROGRESS_SECONDS = 15.0

# Runs in the child with ``python -c``: argv = [mode, video, out_dir]; prints one JSON line.
CHILD = """
import asyncio, json, resource, sys, time
from pathlib import Path

async def main(mode, video, out_dir):
    import media_analysis.media.frame_sheets as fs
    from media_analysis.media.probe import probe_media

    info = await probe_media(video)
    result = {"duration": info.duration, "frames": 0, "sheets": 0}
    if mode == "work":
        start = time.perf_counter()
        got = await fs.extract_frames_and_sheets(
            video, out_dir, fps=3, grid=(2, 3), image_format="jpg", duration=info.duration
        )
        result.update(
            frames=len(got.frames), sheets=len(got.sheets), work_s=time.perf_counter() - start
        )
    return result

result = asyncio.run(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])))
result["python_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result["children_maxrss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps(result), flush=True)
"""


@dataclass
class Measurement:
    mode: str  # "baseline" (import + probe) or "work" (+ frames and sheets)
    minutes: float
    frames: int
    sheets: int
    wall_s: float
    python_peak_mib: float
    ffmpeg_peak_mib: float  # summed RSS of live descendants, polled
    ffmpeg_maxrss_mib: float  # largest reaped descendant's ru_maxrss, seen by the child


def generate(ffmpeg: str, path: Path, seconds: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", str(seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "250", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path),
        ],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def count_files(directory: Path) -> int:
    try:
        return sum(1 for _ in os.scandir(directory))
    except FileNotFoundError:
        return 0


def descendants_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        children = proc.children(recursive=True)
    except psutil.Error:
        return 0
    for child in children:
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return total


def measure(mode: str, video: Path, minutes: float, out_dir: Path) -> Measurement:
    start = time.perf_counter()
    popen = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(video), str(out_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    proc = psutil.Process(popen.pid)
    peak = 0
    next_report = start + PROGRESS_SECONDS
    while popen.poll() is None:
        peak = max(peak, descendants_rss(proc))
        now = time.perf_counter()
        if now >= next_report:
            next_report = now + PROGRESS_SECONDS
            print(
                f"  ... {now - start:5.0f} s: {count_files(out_dir / 'frames')} frames, "
                f"{count_files(out_dir / 'sheets')} sheets written",
                file=sys.stderr,
            )
        time.sleep(POLL_SECONDS)
    wall = time.perf_counter() - start
    stdout = popen.stdout.read() if popen.stdout else ""
    if popen.returncode != 0:
        raise SystemExit(f"{mode} child failed with exit code {popen.returncode}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return Measurement(
        mode=mode,
        minutes=minutes,
        frames=result["frames"],
        sheets=result["sheets"],
        wall_s=round(wall, 2),
        python_peak_mib=round(result["python_maxrss_kib"] / 1024, 1),
        ffmpeg_peak_mib=round(peak / MIB, 1),
        ffmpeg_maxrss_mib=round(result["children_maxrss_kib"] / 1024, 1),
    )


def ratio(long: float, short: float) -> float:
    return round(long / short, 2) if short else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--long-minutes", type=float, default=60, help="long video (60)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()

    from media_analysis.media.binaries import ffmpeg_path

    lengths = [1.0, float(args.long_minutes)]
    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    results: list[Measurement] = []
    generated: dict[str, float] = {}
    try:
        videos: dict[float, Path] = {}
        for minutes in lengths:
            videos[minutes] = tmp / f"test_{minutes:g}min.mp4"
            took = generate(ffmpeg_path(), videos[minutes], round(minutes * 60))
            generated[f"{minutes:g}min"] = round(took, 1)
            size = videos[minutes].stat().st_size / MIB
            print(f"generated {minutes:g} min ({size:.1f} MiB) in {took:.1f} s", file=sys.stderr)
        for mode in ("baseline", "work"):
            for minutes in lengths:
                print(f"{mode} {minutes:g} min ...", file=sys.stderr)
                out_dir = tmp / f"out_{mode}_{minutes:g}"
                results.append(measure(mode, videos[minutes], minutes, out_dir))
                shutil.rmtree(out_dir, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    work = {m.minutes: m for m in results if m.mode == "work"}
    short, long = work[lengths[0]], work[lengths[1]]
    ratios = {
        "python_peak": ratio(long.python_peak_mib, short.python_peak_mib),
        "ffmpeg_peak": ratio(long.ffmpeg_peak_mib, short.ffmpeg_peak_mib),
        "ffmpeg_maxrss": ratio(long.ffmpeg_maxrss_mib, short.ffmpeg_maxrss_mib),
    }
    if args.json:
        report = {"generate_s": generated, "results": [asdict(m) for m in results]}
        print(json.dumps({**report, "long_to_short_ratio": ratios}, indent=2))
        return
    header = (
        f"{'run':<9}{'length':>8}{'frames':>8}{'sheets':>8}{'wall s':>9}"
        f"{'python MiB':>12}{'ffmpeg MiB':>12}{'ffmpeg maxrss':>15}"
    )
    print(header)
    print("-" * len(header))
    for m in results:
        print(
            f"{m.mode:<9}{m.minutes:>5g} min{m.frames:>8}{m.sheets:>8}{m.wall_s:>9.1f}"
            f"{m.python_peak_mib:>12.1f}{m.ffmpeg_peak_mib:>12.1f}{m.ffmpeg_maxrss_mib:>15.1f}"
        )
    print(
        f"\n{lengths[1]:g} min / {lengths[0]:g} min peak RSS (work): "
        f"python {ratios['python_peak']}x, ffmpeg {ratios['ffmpeg_peak']}x "
        f"(polled), {ratios['ffmpeg_maxrss']}x (ru_maxrss)"
    )
    print(f"video generation: {generated}")


if __name__ == "__main__":
    main()
