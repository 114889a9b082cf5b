"""Split long speech into chunks, cutting inside silences where there are any."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import anyio

from media_analysis.errors import InvalidMedia
from media_analysis.media.binaries import ffmpeg_path
from media_analysis.media.ffmpeg_input import failure_reason, input_args
from media_analysis.media.process import run_process
from media_analysis.media.wav import (
    WAV_HEADER_BYTES,
    copy_wav_slice,
    wav_byte_rate,
    wav_duration,
)

SILENCE_FILTER = "silencedetect=noise=-30dB:d=0.3"
_SILENCE_EDGE = re.compile(r"silence_(start|end):\s*(-?[\d.]+)")
Silence = tuple[float, float]


@dataclass(frozen=True)
class AudioChunk:
    path: Path
    start: float  # seconds into the whole recording: add it to the chunk's timestamps
    end: float


async def split_at_silences(
    wav: Path,
    workdir: Path,
    *,
    max_chunk_seconds: float,
    max_chunk_bytes: int,
    timeout: float = 1800,
) -> list[AudioChunk]:
    """Chunks of ``wav`` (a PCM WAV) no longer or larger than the limits."""
    duration = await anyio.to_thread.run_sync(wav_duration, wav)
    byte_rate = await anyio.to_thread.run_sync(wav_byte_rate, wav)
    max_length = min(max_chunk_seconds, (max_chunk_bytes - WAV_HEADER_BYTES) / byte_rate)
    if max_length <= 0:
        raise ValueError("chunk limits leave no room for audio")
    if duration <= max_length:
        return [AudioChunk(wav, 0.0, duration)]
    silences = await detect_silences(wav, duration, timeout=timeout)
    bounds = _bounds(choose_cut_points(silences, duration, max_length), duration)
    await anyio.Path(workdir).mkdir(parents=True, exist_ok=True)
    return [await _write_chunk(wav, workdir, index, span) for index, span in enumerate(bounds)]


async def detect_silences(wav: Path, duration: float, *, timeout: float) -> list[Silence]:
    edges: list[tuple[str, float]] = []

    async def note_edge(line: str) -> None:
        match = _SILENCE_EDGE.search(line)
        if match:
            edges.append((match[1], float(match[2])))

    argv = [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", *input_args(wav)]
    argv += ["-map", "0:a:0", "-af", SILENCE_FILTER, "-f", "null", "-"]
    result = await run_process(argv, timeout=timeout, on_stderr_line=note_edge)
    if not result.ok:
        raise InvalidMedia(f"The audio could not be read ({failure_reason(result.stderr, wav)}).")
    return _pair_edges(edges, duration)


def _pair_edges(edges: list[tuple[str, float]], duration: float) -> list[Silence]:
    silences: list[Silence] = []
    start: float | None = None
    for kind, time in edges:
        if kind == "start":
            start = max(time, 0.0)
        elif start is not None:
            silences.append((start, time))
            start = None
    if start is not None:  # silent up to the end of the file
        silences.append((start, duration))
    return silences


def choose_cut_points(silences: list[Silence], duration: float, max_length: float) -> list[float]:
    """Cut as late as possible inside a silence, never past ``max_length``.

    A silence counts only in the second half of the allowed span, so chunks don't
    get tiny; with no silence there, the cut is a hard one at ``max_length``.
    """
    cuts: list[float] = []
    start = 0.0
    while duration - start > max_length:
        low, high = start + max_length / 2, start + max_length
        candidates = [
            min(max((begin + end) / 2, low), high)
            for begin, end in silences
            if begin < high and end > low
        ]
        start = max(candidates, default=high)
        cuts.append(start)
    return cuts


def _bounds(cuts: list[float], duration: float) -> list[tuple[float, float]]:
    edges = [0.0, *cuts, duration]
    return list(pairwise(edges))


async def _write_chunk(
    wav: Path, workdir: Path, index: int, span: tuple[float, float]
) -> AudioChunk:
    dest = workdir / f"chunk_{index:04d}.wav"
    start, end = await anyio.to_thread.run_sync(copy_wav_slice, wav, dest, *span)
    return AudioChunk(dest, start, end)
