"""The media hot path next to the plain tool doing the same job, measured in one run.

Generates its media in a temp folder (a 1080p30 ``testsrc2`` clip encoded with libx264
veryfast, a stereo MP3, two minutes of speech), then times each stage of the service
and the plain baseline one after the other, and prints one table of ratios:

* frames at 3 fps + 2x3 contact sheets vs ``ffmpeg -i clip -f null -`` (plain decode);
* audio preparation, normalised (default) and not, vs ``ffmpeg -i a.mp3 -ac 1 -ar 16000``;
* probing vs ffprobe, or PyAV alone in this process when there is no ffprobe;
* the ``/analyze`` pipeline with no provider keys (probe, frames and sheets, local
  analysis) vs the plain decode;
* offline transcription's real-time factor vs faster-whisper alone on the same audio;
* peak RSS of the process tree for 1-minute and long inputs (``bench/memory.py``).

Wall time is the figure that counts; CPU seconds (this process and its children) are
printed too because on a shared machine they move less with other load. It reports;
it never asserts.

    .venv/bin/python bench/media.py [--seconds 120] [--audio-seconds 600]
        [--long-minutes 60] [--skip-memory] [--skip-asr] [--skip-analyze] [--json]
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # bench/http.py would shadow the standard library's http package

import argparse
import asyncio
import json
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEECH_SAMPLE = ROOT / "tests" / "data" / "jfk.wav"
PROBE_REPEATS = 20


@dataclass
class Row:
    stage: str
    ours_s: float
    plain_s: float
    ours_cpu_s: float
    plain_cpu_s: float
    baseline: str

    @property
    def ratio(self) -> float:
        return round(self.ours_s / self.plain_s, 2) if self.plain_s else float("nan")

    @property
    def cpu_ratio(self) -> float:
        return round(self.ours_cpu_s / self.plain_cpu_s, 2) if self.plain_cpu_s else float("nan")


@dataclass
class Timing:
    wall: float
    cpu: float


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


async def timed(work: Callable[[], Awaitable[Any]]) -> Timing:
    cpu, start = cpu_seconds(), time.perf_counter()
    await work()
    return Timing(time.perf_counter() - start, cpu_seconds() - cpu)


async def timed_command(argv: list[str]) -> Timing:
    async def run() -> None:
        await asyncio.to_thread(subprocess.run, argv, check=True, stdin=subprocess.DEVNULL)

    return await timed(run)


def ffmpeg_command(*args: str) -> list[str]:
    from media_analysis.media.binaries import ffmpeg_path

    return [ffmpeg_path(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]


def generate_media(tmp: Path, seconds: int, audio_seconds: int) -> dict[str, Path]:
    media = {"clip": tmp / "clip_1080p30.mp4", "mp3": tmp / "stereo.mp3"}
    steps = [
        ["-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(media["clip"])],
        ["-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=44100:duration={audio_seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=44100:duration={audio_seconds}",
         "-filter_complex", "amerge=inputs=2", "-c:a", "libmp3lame", "-b:a", "128k",
         str(media["mp3"])],
    ]  # fmt: skip
    speech = speech_command(tmp / "speech.wav")
    if speech is not None:
        steps.append(speech)
        media["speech"] = tmp / "speech.wav"
    for step in steps:
        started = time.perf_counter()
        subprocess.run(ffmpeg_command(*step), check=True)
        print(f"generated {step[-1]} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return media


def speech_command(dest: Path) -> list[str] | None:
    """Two minutes of speech: espeak-ng when installed, else the repository's JFK clip looped."""
    espeak = shutil.which("espeak-ng")
    if espeak is not None:
        text = "The quick brown fox jumps over the lazy dog near the river bank. " * 30
        spoken = dest.with_name("espeak.wav")
        subprocess.run([espeak, "-w", str(spoken), text], check=True)
        return ["-stream_loop", "-1", "-i", str(spoken), "-t", "120", str(dest)]
    if SPEECH_SAMPLE.is_file():
        return ["-stream_loop", "-1", "-i", str(SPEECH_SAMPLE), "-t", "120", str(dest)]
    return None


async def frames_and_sheets_row(clip: Path, out: Path, decode: Timing) -> Row:
    from media_analysis.media.frame_sheets import extract_frames_and_sheets

    ours = await timed(lambda: extract_frames_and_sheets(clip, out, fps=3, grid=(2, 3)))
    return Row("frames 3 fps + 2x3 sheets", ours.wall, decode.wall, ours.cpu, decode.cpu,
               "ffmpeg -i clip -f null -")  # fmt: skip


async def audio_rows(mp3: Path, tmp: Path) -> list[Row]:
    from media_analysis.media.audio import prepare_audio

    rows = []
    for normalize in (True, False):
        plain_wav = tmp / f"plain_{normalize}.wav"
        plain = await timed_command(
            ffmpeg_command("-i", str(mp3), "-ac", "1", "-ar", "16000", str(plain_wav))
        )
        out = tmp / f"prepared_{normalize}"
        ours = await timed(lambda: prepare_audio(mp3, out, normalize=normalize))  # noqa: B023
        label = "audio prep, normalised" if normalize else "audio prep, not normalised"
        rows.append(Row(label, ours.wall, plain.wall, ours.cpu, plain.cpu,
                        "ffmpeg -i a.mp3 -ac 1 -ar 16000 out.wav"))  # fmt: skip
    return rows


async def probe_row(files: list[Path]) -> Row:
    from media_analysis.media.binaries import ffprobe_path
    from media_analysis.media.probe import FFPROBE_ARGS, probe_media
    from media_analysis.media.probe_av import probe

    ffprobe = ffprobe_path()

    async def ours() -> None:
        for index in range(PROBE_REPEATS):
            await probe_media(files[index % len(files)])

    def plain() -> None:
        for index in range(PROBE_REPEATS):
            path = str(files[index % len(files)])
            if ffprobe is not None:
                subprocess.run([ffprobe, *FFPROBE_ARGS, path], check=True, capture_output=True)
            else:
                probe(path)

    mine, theirs = await timed(ours), await timed(lambda: asyncio.to_thread(plain))
    return Row(f"probe (per file, mean of {PROBE_REPEATS})", mine.wall / PROBE_REPEATS,
               theirs.wall / PROBE_REPEATS, mine.cpu / PROBE_REPEATS, theirs.cpu / PROBE_REPEATS,
               "ffprobe" if ffprobe else "PyAV alone, in process")  # fmt: skip


async def analyze_row(clip: Path, out: Path, decode: Timing) -> Row:
    """The steps of ``analyze_video`` with no model and no audio track, minus the database."""
    from media_analysis.analysis.frames import FrameRef
    from media_analysis.analysis.local_answer import build_local_analysis
    from media_analysis.config import Settings
    from media_analysis.media.frame_sheets import extract_frames_and_sheets
    from media_analysis.media.probe import probe_media
    from media_analysis.pipelines.ingest import media_facts
    from media_analysis.pipelines.understanding import DEFAULT_PROMPT, measure_in_frames

    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    async def pipeline() -> None:
        info = await probe_media(clip)
        extracted = await extract_frames_and_sheets(
            clip, out, fps=3, grid=(2, 3), duration=info.duration
        )
        frames = [FrameRef(f.path, f.index, f.timestamp) for f in extracted.frames]
        found = await measure_in_frames(settings, frames)
        build_local_analysis(DEFAULT_PROMPT, frames, found, media_facts(info).model_dump(), None)

    ours = await timed(pipeline)
    return Row("/analyze pipeline, no keys", ours.wall, decode.wall, ours.cpu, decode.cpu,
               "ffmpeg -i clip -f null -")  # fmt: skip


async def asr_row(speech: Path, tmp: Path) -> Row:
    """Real-time factors: prepare + transcribe as the service does, vs faster-whisper alone."""
    from media_analysis.media.audio import prepare_audio
    from media_analysis.media.wav import wav_duration
    from media_analysis.providers.local import (
        ENGLISH,
        LocalWhisperSettings,
        LocalWhisperTranscriber,
        bundled_model_dir,
        load_whisper_model,
    )

    settings = LocalWhisperSettings()
    model = load_whisper_model(bundled_model_dir(), settings.cpu_threads)  # loaded once, untimed
    seconds = wav_duration(speech)

    def alone() -> None:
        pieces, _ = model.transcribe(
            str(speech),
            language=ENGLISH,
            word_timestamps=True,
            vad_filter=settings.vad_filter,
            beam_size=settings.beam_size,
        )
        list(pieces)

    async def service() -> None:
        prepared = await prepare_audio(speech, tmp / "asr", normalize=True)
        await LocalWhisperTranscriber(settings).transcribe(
            prepared.path, mime_type="audio/wav", language=None
        )

    theirs = await timed(lambda: asyncio.to_thread(alone))
    ours = await timed(service)
    return Row("offline ASR, real-time factor", ours.wall / seconds, theirs.wall / seconds,
               ours.cpu / seconds, theirs.cpu / seconds, "faster-whisper alone")  # fmt: skip


def memory_figures(long_minutes: float) -> dict[str, Any]:
    """Peak RSS of the process tree from bench/memory.py (its own generated videos)."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "memory.py"), "--json",
         "--long-minutes", f"{long_minutes:g}"],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    report = json.loads(completed.stdout)
    work = [m for m in report["results"] if m["mode"] == "work"]
    return {
        f"{m['minutes']:g} min": {
            "frames": m["frames"],
            "sheets": m["sheets"],
            "tree_peak_mib": round(m["python_peak_mib"] + m["ffmpeg_peak_mib"], 1),
        }
        for m in work
    }


async def run(args: argparse.Namespace, tmp: Path) -> tuple[list[Row], dict[str, Any]]:
    from media_analysis.media.probe import probe_media
    from media_analysis.media.probe_helper import close_probe_helper

    media = generate_media(tmp, args.seconds, args.audio_seconds)
    clip = media["clip"]
    await probe_media(clip)  # a running service has its probe helper started already
    decode = await timed_command(ffmpeg_command("-i", str(clip), "-f", "null", "-"))
    rows = [noted(await frames_and_sheets_row(clip, tmp / "sheets", decode))]
    rows += [noted(row) for row in await audio_rows(media["mp3"], tmp)]
    rows.append(noted(await probe_row(list(media.values()))))
    if not args.skip_analyze:
        rows.append(noted(await analyze_row(clip, tmp / "analyze", decode)))
    if "speech" in media and not args.skip_asr:
        rows.append(noted(await asr_row(media["speech"], tmp)))
    await close_probe_helper()
    memory = {} if args.skip_memory else memory_figures(args.long_minutes)
    return rows, memory


def noted(row: Row) -> Row:
    print(f"{row.stage}: {row.ratio}x wall, {row.cpu_ratio}x CPU", file=sys.stderr)
    return row


def print_table(rows: list[Row], memory: dict[str, Any]) -> None:
    header = (
        f"{'stage':<34}{'ours':>9}{'plain':>9}{'ratio':>7}{'cpu ours':>10}{'cpu plain':>10}"
        f"{'cpu ratio':>10}  baseline"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.stage:<34}{row.ours_s:>9.3f}{row.plain_s:>9.3f}{row.ratio:>7.2f}"
            f"{row.ours_cpu_s:>10.3f}{row.plain_cpu_s:>10.3f}{row.cpu_ratio:>10.2f}  {row.baseline}"
        )
    print("(seconds; ASR rows are real-time factors, probe rows seconds per file)")
    for length, figures in memory.items():
        print(
            f"peak RSS, frames + sheets, {length}: {figures['tree_peak_mib']} MiB "
            f"(process tree; {figures['frames']} frames, {figures['sheets']} sheets)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120, help="1080p clip length (120)")
    parser.add_argument("--audio-seconds", type=int, default=600, help="MP3 length (600)")
    parser.add_argument("--long-minutes", type=float, default=60, help="memory: long video (60)")
    parser.add_argument("--skip-memory", action="store_true", help="leave out the RSS rows")
    parser.add_argument("--skip-asr", action="store_true", help="leave out transcription")
    parser.add_argument("--skip-analyze", action="store_true", help="leave out /analyze")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-media-"))
    try:
        rows, memory = asyncio.run(run(args, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        table = [{**asdict(row), "ratio": row.ratio, "cpu_ratio": row.cpu_ratio} for row in rows]
        print(json.dumps({"rows": table, "peak_rss": memory}, indent=2))
    else:
        print_table(rows, memory)


if __name__ == "__main__":
    main()
