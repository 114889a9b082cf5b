"""Speech loudness measured in the same decode, then one gain with a soft limiter.

ffmpeg's ``loudnorm`` resamples to 192 kHz and costs many times the conversion
itself. Instead the decode that writes the 16 kHz mono WAV also streams a
K-weighted copy (BS.1770's two filters, as ffmpeg biquads) as float samples; the
meter here gates 400 ms blocks the way BS.1770 does (absolute gate at -70 LUFS,
relative gate 10 LU below), so it reads within a few tenths of ffmpeg's
``ebur128``. A recogniser needs a sane level, not broadcast-exact loudness, so a
file already within half a LU of the target is left as it is.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

TARGET_LUFS = -16.0
PEAK_CEILING = 10 ** (-1.5 / 20)
LIMITER_KNEE = 0.8 * PEAK_CEILING
GAIN_DEAD_BAND_DB = 0.5
# BS.1770 K-weighting: a +4 dB shelf above ~1.7 kHz, then a high-pass at ~38 Hz.
K_WEIGHTING = (
    "aformat=sample_fmts=flt,"
    "highshelf=f=1681.9744509555319:g=3.99984385397:t=q:w=0.7071752369554193,"
    "highpass=f=38.13547087613982:t=q:w=0.5003270373253953"
)
STEP_SECONDS = 0.1  # a gating block is four steps
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = 10.0
GAIN_BLOCK_SAMPLES = 1 << 20
FULL_SCALE = 32768.0

Floats = npt.NDArray[np.float64]
Samples = npt.NDArray[np.float32]


class LoudnessMeter:
    """Feed it K-weighted float32 mono samples in any slices; ``loudness()`` gives LUFS."""

    def __init__(self, sample_rate: int) -> None:
        self._step = round(sample_rate * STEP_SECONDS)
        self._pending = b""
        self._step_energies: list[Floats] = []

    def feed(self, raw: bytes) -> None:
        data = self._pending + raw
        whole = len(data) - len(data) % (self._step * 4)
        self._pending = data[whole:]
        if whole:
            steps = np.frombuffer(data[:whole], dtype="<f4").reshape(-1, self._step)
            self._step_energies.append(np.einsum("ij,ij->i", steps, steps, dtype=np.float64))

    def loudness(self) -> float:
        """Integrated loudness in LUFS; -inf for silence or less than one block."""
        if not self._step_energies:
            return -math.inf
        steps = np.concatenate(self._step_energies) / self._step
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
    count = (wav.stat().st_size - data_offset) // 2
    if count <= 0:
        return
    pcm = np.memmap(wav, dtype="<i2", mode="r+", offset=data_offset, shape=(count,))
    for start in range(0, count, GAIN_BLOCK_SAMPLES):
        block = pcm[start : start + GAIN_BLOCK_SAMPLES]
        samples = block.astype(np.float32)
        samples *= factor
        limited = soft_limited(samples) * np.float32(FULL_SCALE - 1)
        block[:] = np.clip(np.rint(limited, out=limited), -FULL_SCALE, FULL_SCALE - 1)
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


def _lufs(mean_square: Floats | float) -> Floats:
    with np.errstate(divide="ignore"):
        return np.asarray(-0.691 + 10 * np.log10(mean_square), dtype=np.float64)
