"""Speech loudness read off the converted 16 kHz mono WAV, then one gain in place.

ffmpeg's ``loudnorm`` resamples to 192 kHz and costs many times the conversion
itself. A recogniser needs a sane level, not broadcast-exact loudness, so this
measures the WAV the plain conversion wrote, with numpy on a memory map: BS.1770's
gating (400 ms blocks with 75 % overlap, absolute gate at -70 LUFS, relative gate
10 LU below) over an approximate K-weighting. The +4 dB high shelf is fitted as a
four-lag autocorrelation kernel (within 0.4 dB of the filter from 20 Hz to 8 kHz)
and the 38 Hz high-pass becomes removing each 100 ms step's mean, so readings land
within about half a LU of ffmpeg's ``ebur128`` on speech (bass-heavy music reads up
to ~1.5 LU loud). A file within half a LU of the target is left as converted.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

TARGET_LUFS = -16.0
PEAK_CEILING = 10 ** (-1.5 / 20)
LIMITER_KNEE = 0.8 * PEAK_CEILING
GAIN_DEAD_BAND_DB = 0.5
STEP_SECONDS = 0.1  # a gating block is four steps
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = 10.0
SHELF_LAGS = 4
STEPS_PER_READ = 600  # one minute of steps per numpy pass
GAIN_BLOCK_SAMPLES = 1 << 20
FULL_SCALE = 32768.0

Floats = npt.NDArray[np.float64]
Samples = npt.NDArray[np.float32]


def measure_loudness(wav: Path, data_offset: int, sample_rate: int) -> float:
    """Integrated loudness (LUFS) of a 16-bit mono WAV; -inf for silence or under 0.4 s."""
    step = round(sample_rate * STEP_SECONDS)
    pcm = _samples(wav, data_offset)
    usable = len(pcm) - len(pcm) % step
    kernel = _shelf_kernel(sample_rate)
    energies = [
        _weighted_energies(pcm[start : min(start + STEPS_PER_READ * step, usable)], step, kernel)
        for start in range(0, usable, STEPS_PER_READ * step)
    ]
    return gated_loudness(np.concatenate(energies) if energies else np.zeros(0))


def gated_loudness(step_mean_squares: Floats) -> float:
    """BS.1770 integrated loudness from the weighted mean square of each 100 ms step."""
    steps = step_mean_squares
    if len(steps) < 4:
        return -math.inf
    blocks = (steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]) / 4
    audible = blocks[_lufs(blocks) > ABSOLUTE_GATE_LUFS]
    if len(audible) == 0:
        return -math.inf
    relative_gate = _lufs(audible.mean()) - RELATIVE_GATE_LU
    return float(_lufs(audible[_lufs(audible) > relative_gate].mean()))


def gain_to_target(loudness: float) -> float | None:
    """Decibels that bring ``loudness`` to the target; None when close or unmeasurable."""
    if not math.isfinite(loudness):
        return None
    gain = TARGET_LUFS - loudness
    return gain if abs(gain) >= GAIN_DEAD_BAND_DB else None


def apply_gain(wav: Path, data_offset: int, gain_db: float) -> None:
    """Scale the int16 samples from ``data_offset`` on in place, soft-limiting peaks."""
    factor = np.float32(10 ** (gain_db / 20) / FULL_SCALE)
    pcm = _samples(wav, data_offset, writable=True)
    for start in range(0, len(pcm), GAIN_BLOCK_SAMPLES):
        block = pcm[start : start + GAIN_BLOCK_SAMPLES]
        samples = block.astype(np.float32)
        samples *= factor
        limited = soft_limited(samples) * np.float32(FULL_SCALE - 1)
        block[:] = np.clip(np.rint(limited, out=limited), -FULL_SCALE, FULL_SCALE - 1)
    if isinstance(pcm, np.memmap):
        pcm.flush()


def soft_limited(samples: Samples) -> Samples:
    """Samples above the knee bend smoothly towards the ceiling instead of clipping (in place)."""
    over = np.abs(samples) > LIMITER_KNEE
    if over.any():
        loud = samples[over]
        headroom = PEAK_CEILING - LIMITER_KNEE
        bent = LIMITER_KNEE + headroom * np.tanh((np.abs(loud) - LIMITER_KNEE) / headroom)
        samples[over] = np.sign(loud) * bent
    return samples


def _samples(wav: Path, data_offset: int, *, writable: bool = False) -> npt.NDArray[np.int16]:
    count = max(0, (wav.stat().st_size - data_offset) // 2)
    if count == 0:
        return np.zeros(0, dtype=np.int16)
    if writable:
        return np.memmap(wav, dtype=np.int16, mode="r+", offset=data_offset, shape=(count,))
    return np.memmap(wav, dtype=np.int16, mode="r", offset=data_offset, shape=(count,))


def _weighted_energies(pcm: npt.NDArray[np.int16], step: int, kernel: Floats) -> Floats:
    """Each step's approximately K-weighted mean square, from its autocorrelation."""
    steps = pcm.astype(np.float32).reshape(-1, step) / np.float32(FULL_SCALE)
    steps -= steps.mean(axis=1, keepdims=True)
    energy = kernel[0] * np.einsum("ij,ij->i", steps, steps, dtype=np.float64)
    for lag in range(1, len(kernel)):
        lagged = np.einsum("ij,ij->i", steps[:, lag:], steps[:, :-lag], dtype=np.float64)
        energy += 2 * kernel[lag] * lagged
    return np.asarray(energy / step, dtype=np.float64)


@cache
def _shelf_kernel(sample_rate: int) -> Floats:
    """Lag weights whose cosine series fits the shelf's power response |H(f)|²."""
    freqs = np.linspace(20, sample_rate / 2, 2000)
    z = np.exp(-2j * np.pi * freqs / sample_rate)
    b0, b1, b2, a0, a1, a2 = _high_shelf(sample_rate)
    power = np.abs((b0 + b1 * z + b2 * z**2) / (a0 + a1 * z + a2 * z**2)) ** 2
    basis = np.stack(
        [np.ones_like(freqs)]
        + [2 * np.cos(2 * np.pi * freqs * lag / sample_rate) for lag in range(1, SHELF_LAGS)],
        axis=1,
    )
    kernel, *_ = np.linalg.lstsq(basis, power, rcond=None)
    return np.asarray(kernel, dtype=np.float64)


def _high_shelf(rate: int) -> tuple[float, ...]:
    """BS.1770 stage 1: +4 dB above ~1.7 kHz (the head's acoustic effect)."""
    gain_db, q, centre = 3.99984385397, 0.7071752369554193, 1681.9744509555319
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * centre / rate
    alpha, cos_w0, root = math.sin(w0) / (2 * q), math.cos(w0), math.sqrt(a)
    return (
        a * ((a + 1) + (a - 1) * cos_w0 + 2 * root * alpha),
        -2 * a * ((a - 1) + (a + 1) * cos_w0),
        a * ((a + 1) + (a - 1) * cos_w0 - 2 * root * alpha),
        (a + 1) - (a - 1) * cos_w0 + 2 * root * alpha,
        2 * ((a - 1) - (a + 1) * cos_w0),
        (a + 1) - (a - 1) * cos_w0 - 2 * root * alpha,
    )


def _lufs(mean_square: Floats | float) -> Floats:
    with np.errstate(divide="ignore"):
        return np.asarray(-0.691 + 10 * np.log10(mean_square), dtype=np.float64)
