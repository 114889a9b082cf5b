"""Audio preparation for speech recognition: 16 kHz mono PCM, compressed copies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import anyio

from media_analysis.errors import InvalidMedia, NoAudio
from media_analysis.media.binaries import ffmpeg_path
from media_analysis.media.ffmpeg_input import failure_reason, input_args
from media_analysis.media.loudness import apply_gain, gain_to_target, measure_loudness
from media_analysis.media.probe import probe_media
from media_analysis.media.process import run_process
from media_analysis.media.wav import pcm_data_offset, wav_duration

ASR_SAMPLE_RATE = 16_000
_COMPRESSED_CODECS = {
    ".flac": ["-c:a", "flac", "-compression_level", "5"],
    ".ogg": ["-c:a", "libopus", "-b:a", "32k", "-application", "voip"],
    ".opus": ["-c:a", "libopus", "-b:a", "32k", "-application", "voip"],
}


@dataclass(frozen=True)
class PreparedAudio:
    path: Path
    duration: float
    sample_rate: int = ASR_SAMPLE_RATE
    channels: int = 1


async def prepare_audio(
    src: Path, workdir: Path, *, normalize: bool, timeout: float = 1800
) -> PreparedAudio:
    """The first audio stream of ``src`` as 16 kHz mono 16-bit WAV in ``workdir``.

    With ``normalize`` the converted WAV is metered and given one gain towards
    -16 LUFS in place (see ``loudness``).
    """
    info = await probe_media(src)
    if not info.has_audio:
        raise NoAudio("The file has no audio stream.")
    await anyio.Path(workdir).mkdir(parents=True, exist_ok=True)
    wav = workdir / "audio_16k_mono.wav"
    argv = [*_ffmpeg_head(src), "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1"]
    argv += ["-ar", str(ASR_SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", "wav", str(wav)]
    await _run_ffmpeg(argv, src, timeout)
    if normalize:
        await anyio.to_thread.run_sync(_normalize_in_place, wav)
    return PreparedAudio(wav, await anyio.to_thread.run_sync(wav_duration, wav))


def _normalize_in_place(wav: Path) -> None:
    offset = pcm_data_offset(wav)
    gain = gain_to_target(measure_loudness(wav, offset, ASR_SAMPLE_RATE))
    if gain is not None:
        apply_gain(wav, offset, gain)


async def compress_for_upload(wav: Path, dest: Path, *, timeout: float = 900) -> Path:
    """A smaller copy for upload to a provider: ``.flac``, or Opus in ``.ogg``/``.opus``."""
    codec = _COMPRESSED_CODECS.get(dest.suffix.lower())
    if codec is None:
        raise ValueError(f"unsupported compressed audio type {dest.suffix!r}")
    muxer = "flac" if dest.suffix.lower() == ".flac" else "ogg"
    argv = [*_ffmpeg_head(wav), "-map", "0:a:0", "-vn", *codec, "-f", muxer, str(dest)]
    await _run_ffmpeg(argv, wav, timeout)
    return dest


def _ffmpeg_head(src: Path) -> list[str]:
    return [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-y", *input_args(src)]


async def _run_ffmpeg(argv: list[str], src: Path, timeout: float) -> None:
    result = await run_process(argv, timeout=timeout, capture_stdout=False)
    if not result.ok:
        reason = failure_reason(result.stderr, src)
        raise InvalidMedia(f"The audio could not be converted ({reason}).")
