"""The torchaudio preparation path against the ffmpeg one (run on the CPU when no GPU)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import wave
from pathlib import Path

import pytest

from media_analysis.media import gpu_audio
from media_analysis.media.audio import PreparedAudio, prepare_audio
from media_analysis.media.binaries import ffmpeg_path
from media_analysis.media.gpu_audio import (
    cuda_device,
    prepare_audio_with_torch,
    prepare_speech_audio,
)
from tests.media.clips import JFK_FLAC, JFK_WAV, silence

TORCH_MISSING = not (importlib.util.find_spec("torch") and importlib.util.find_spec("torchaudio"))
needs_torch = pytest.mark.skipif(
    TORCH_MISSING, reason="torch/torchaudio not installed (the optional `gpu` extra)"
)


def integrated_loudness(wav: Path) -> float:
    """ffmpeg's own EBU R128 meter, independent of both paths."""
    stderr = subprocess.run(
        [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-i", str(wav),
         "-af", "ebur128", "-f", "null", "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stderr  # fmt: skip
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", stderr)[-1])


def wav_shape(path: Path) -> tuple[int, int, int, float]:
    with wave.open(str(path)) as reader:
        frames = reader.getnframes()
        rate = reader.getframerate()
        return rate, reader.getnchannels(), reader.getsampwidth(), frames / rate


async def test_without_a_gpu_ffmpeg_prepares_the_audio(tmp_path: Path) -> None:
    if cuda_device() is not None:
        pytest.skip("a CUDA GPU is present")
    prepared = await prepare_speech_audio(JFK_FLAC, tmp_path, normalize=True)
    assert wav_shape(prepared.path)[:3] == (16_000, 1, 2)


async def test_a_failing_gpu_falls_back_to_ffmpeg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def out_of_memory(*args: object, **kwargs: object) -> PreparedAudio:
        raise RuntimeError("CUDA out of memory")

    monkeypatch.setattr(gpu_audio, "cuda_device", lambda: "cuda")
    monkeypatch.setattr(gpu_audio, "prepare_audio_with_torch", out_of_memory)
    prepared = await gpu_audio.prepare_speech_audio(JFK_WAV, tmp_path, normalize=True)
    assert wav_shape(prepared.path)[:3] == (16_000, 1, 2)
    assert integrated_loudness(prepared.path) == pytest.approx(-16, abs=1)


@needs_torch
@pytest.mark.parametrize("source", [JFK_WAV, JFK_FLAC])
async def test_torch_and_ffmpeg_paths_agree(source: Path, tmp_path: Path) -> None:
    torch_made = await prepare_audio_with_torch(
        source, tmp_path / "torch", normalize=True, device="cpu"
    )
    ffmpeg_made = await prepare_audio(source, tmp_path / "ffmpeg", normalize=True)
    *torch_format, torch_seconds = wav_shape(torch_made.path)
    *ffmpeg_format, ffmpeg_seconds = wav_shape(ffmpeg_made.path)
    assert torch_format == ffmpeg_format == [16_000, 1, 2]
    assert torch_seconds == pytest.approx(ffmpeg_seconds, abs=0.02)
    assert torch_made.duration == pytest.approx(torch_seconds)
    torch_lufs = integrated_loudness(torch_made.path)
    assert torch_lufs == pytest.approx(-16, abs=1)
    assert torch_lufs == pytest.approx(integrated_loudness(ffmpeg_made.path), abs=1)


@needs_torch
async def test_torch_path_leaves_silence_and_unnormalised_audio_alone(tmp_path: Path) -> None:
    quiet = await prepare_audio_with_torch(
        silence(tmp_path / "quiet.wav", seconds=2), tmp_path / "q", normalize=True, device="cpu"
    )
    assert wav_shape(quiet.path)[3] == pytest.approx(2.0, abs=0.01)
    with wave.open(str(quiet.path)) as reader:
        assert set(reader.readframes(reader.getnframes())) == {0}
    plain = await prepare_audio_with_torch(JFK_WAV, tmp_path / "p", normalize=False, device="cpu")
    assert integrated_loudness(plain.path) == pytest.approx(integrated_loudness(JFK_WAV), abs=0.2)


def surround_speech(dest: Path) -> Path:
    """The JFK speech spread over 5.1 channels, mostly in the centre, as films mix dialogue."""
    layout = "5.1|FL=0.4*c0|FR=0.4*c1|FC=0.6*c0+0.6*c1|LFE=0*c0|BL=0.2*c0|BR=0.2*c1"
    subprocess.run(
        [ffmpeg_path(), "-nostdin", "-v", "error", "-i", str(JFK_FLAC), "-af", f"pan={layout}",
         "-c:a", "flac", str(dest)],
        check=True, timeout=60,
    )  # fmt: skip
    return dest


@pytest.mark.parametrize("layout", ["mono", "stereo", "5.1"])
async def test_ffmpeg_path_reaches_the_loudness_target_for_any_channel_layout(
    layout: str, tmp_path: Path
) -> None:
    """The level is metered approximately (see media/loudness.py): within about half a LU of
    ebur128 on speech, plus the half-LU dead band and what the limiter takes off peaks."""
    sources = {"mono": lambda: JFK_WAV, "stereo": lambda: JFK_FLAC}
    source = sources.get(layout, lambda: surround_speech(tmp_path / "surround.flac"))()
    prepared = await prepare_audio(source, tmp_path / "out", normalize=True)
    assert wav_shape(prepared.path)[:3] == (16_000, 1, 2)
    assert integrated_loudness(prepared.path) == pytest.approx(-16, abs=1.5)
