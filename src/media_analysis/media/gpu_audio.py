"""Speech audio preparation on a CUDA GPU with torchaudio, when the ``gpu`` extra is there.

ffmpeg still decodes (it reads every container safely, see ``ffmpeg_input``) and
downmixes to mono at the source rate; resampling to 16 kHz and loudness
normalisation then run in torch. The result has the shape ``prepare_audio`` gives:
16 kHz mono 16-bit WAV at about -16 LUFS with peaks under -1.5 dBFS. torch and
torchaudio are imported lazily, so nothing here costs anything without them.
"""

from __future__ import annotations

import importlib
import logging
import math
import wave
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio

from media_analysis.errors import InvalidMedia, NoAudio
from media_analysis.media.audio import ASR_SAMPLE_RATE, PreparedAudio, prepare_audio
from media_analysis.media.binaries import ffmpeg_path
from media_analysis.media.ffmpeg_input import failure_reason, input_args
from media_analysis.media.loudness import LIMITER_KNEE, PEAK_CEILING, TARGET_LUFS
from media_analysis.media.probe import probe_media
from media_analysis.media.process import run_process

logger = logging.getLogger(__name__)

# BS.1770 gates in 400 ms blocks: anything shorter has no measurable loudness.
MIN_LOUDNESS_SECONDS = 0.4
READ_BLOCK_BYTES = 4 * 1024 * 1024
WRITE_BLOCK_SAMPLES = 60 * ASR_SAMPLE_RATE
DEFAULT_SOURCE_RATE = 48_000


@cache
def cuda_device() -> str | None:
    """``"cuda"`` when torch and torchaudio import and see a GPU, else None."""
    try:
        torch = importlib.import_module("torch")
        importlib.import_module("torchaudio")
    except ImportError:
        return None
    return "cuda" if torch.cuda.is_available() else None


async def prepare_speech_audio(
    src: Path, workdir: Path, *, normalize: bool, timeout: float = 1800
) -> PreparedAudio:
    """``prepare_audio`` on the GPU when there is one, with ffmpeg otherwise."""
    device = cuda_device()
    if device is not None:
        try:
            return await prepare_audio_with_torch(
                src, workdir, normalize=normalize, device=device, timeout=timeout
            )
        except RuntimeError as exc:  # CUDA out of memory, driver trouble: ffmpeg still works
            logger.warning("GPU audio preparation failed, using ffmpeg: %s", exc)
    return await prepare_audio(src, workdir, normalize=normalize, timeout=timeout)


async def prepare_audio_with_torch(
    src: Path, workdir: Path, *, normalize: bool, device: str, timeout: float = 1800
) -> PreparedAudio:
    """The first audio stream of ``src`` as 16 kHz mono WAV, resampled on ``device``."""
    info = await probe_media(src)
    stream = next((s for s in info.streams if s.kind == "audio"), None)
    if stream is None:
        raise NoAudio("The file has no audio stream.")
    await anyio.Path(workdir).mkdir(parents=True, exist_ok=True)
    source_rate = stream.sample_rate or DEFAULT_SOURCE_RATE
    raw = workdir / "audio_source_mono.f32"
    wav = workdir / "audio_16k_mono.wav"
    try:
        await _decode_mono(src, raw, source_rate, timeout)
        duration = await anyio.to_thread.run_sync(
            _resample_to_wav, raw, wav, source_rate, normalize, device
        )
    finally:
        await anyio.Path(raw).unlink(missing_ok=True)
    return PreparedAudio(wav, duration)


async def _decode_mono(src: Path, raw: Path, rate: int, timeout: float) -> None:
    argv = [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-y", *input_args(src)]
    argv += ["-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", str(rate)]
    argv += ["-c:a", "pcm_f32le", "-f", "f32le", str(raw)]
    result = await run_process(argv, timeout=timeout, capture_stdout=False)
    if not result.ok:
        reason = failure_reason(result.stderr, src)
        raise InvalidMedia(f"The audio could not be converted ({reason}).")


def _resample_to_wav(raw: Path, wav: Path, source_rate: int, normalize: bool, device: str) -> float:
    torch = importlib.import_module("torch")
    functional = importlib.import_module("torchaudio.functional")
    with torch.inference_mode():
        samples = _load_raw(torch, raw, device)
        if source_rate != ASR_SAMPLE_RATE and samples.numel() > 0:
            samples = functional.resample(samples, source_rate, ASR_SAMPLE_RATE)
        if normalize:
            samples = _normalized(torch, functional, samples)
        _write_wav(torch, samples, wav)
    return int(samples.numel()) / ASR_SAMPLE_RATE


def _load_raw(torch: ModuleType, raw: Path, device: str) -> Any:
    """The raw float32 samples as a 1-D tensor on ``device``, read a block at a time."""
    blocks = []
    with raw.open("rb") as handle:
        while block := handle.read(READ_BLOCK_BYTES):
            usable = len(block) - len(block) % 4
            blocks.append(torch.frombuffer(bytearray(block[:usable]), dtype=torch.float32))
    if not blocks:
        return torch.zeros(0, dtype=torch.float32, device=device)
    return torch.cat([block.to(device) for block in blocks])


def _normalized(torch: ModuleType, functional: ModuleType, samples: Any) -> Any:
    """Gain to TARGET_LUFS, then a soft limiter that keeps peaks under the ceiling."""
    if samples.numel() < MIN_LOUDNESS_SECONDS * ASR_SAMPLE_RATE:
        return samples
    loudness = float(functional.loudness(samples.unsqueeze(0), ASR_SAMPLE_RATE))
    if not math.isfinite(loudness):  # digital silence: nothing to bring up
        return samples
    gained = samples * 10 ** ((TARGET_LUFS - loudness) / 20)
    return _soft_limited(torch, gained)


def _soft_limited(torch: ModuleType, samples: Any) -> Any:
    magnitude = samples.abs()
    headroom = PEAK_CEILING - LIMITER_KNEE
    squashed = LIMITER_KNEE + headroom * torch.tanh((magnitude - LIMITER_KNEE) / headroom)
    return torch.where(magnitude > LIMITER_KNEE, torch.sign(samples) * squashed, samples)


def _write_wav(torch: ModuleType, samples: Any, wav: Path) -> None:
    pcm = (samples.clamp(-1.0, 1.0) * 32767.0).round().to(torch.int16)
    with wave.open(str(wav), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(ASR_SAMPLE_RATE)
        for start in range(0, int(pcm.numel()), WRITE_BLOCK_SAMPLES):
            block = pcm[start : start + WRITE_BLOCK_SAMPLES].cpu().numpy()
            writer.writeframes(block.astype("<i2").tobytes())
