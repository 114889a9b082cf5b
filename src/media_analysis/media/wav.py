"""Reading and slicing 16-bit PCM WAV files without holding them in memory."""

from __future__ import annotations

import wave
from pathlib import Path

from media_analysis.errors import InvalidMedia

COPY_BLOCK_FRAMES = 64_000
WAV_HEADER_BYTES = 44


def wav_duration(path: Path) -> float:
    with _open(path) as reader:
        return reader.getnframes() / reader.getframerate()


def pcm_data_offset(path: Path) -> int:
    """Where the samples of a RIFF WAV file start: after every chunk before ``data``."""
    with path.open("rb") as handle:
        if handle.read(12)[8:] != b"WAVE":
            raise InvalidMedia("The audio is not a PCM WAV file.")
        while len(chunk := handle.read(8)) == 8:
            if chunk[:4] == b"data":
                return handle.tell()
            size = int.from_bytes(chunk[4:], "little")
            handle.seek(size + size % 2, 1)
    raise InvalidMedia("The WAV file has no data chunk.")


def wav_byte_rate(path: Path) -> int:
    with _open(path) as reader:
        return reader.getframerate() * reader.getnchannels() * reader.getsampwidth()


def copy_wav_slice(src: Path, dest: Path, start: float, end: float) -> tuple[float, float]:
    """Copy ``[start, end)`` seconds of ``src`` to ``dest``; returns the exact bounds."""
    with _open(src) as reader, wave.open(str(dest), "wb") as writer:
        rate = reader.getframerate()
        first = min(round(start * rate), reader.getnframes())
        last = min(round(end * rate), reader.getnframes())
        writer.setparams(reader.getparams())
        reader.setpos(first)
        remaining = last - first
        while remaining > 0:
            block = reader.readframes(min(remaining, COPY_BLOCK_FRAMES))
            if not block:
                break
            writer.writeframes(block)
            remaining -= COPY_BLOCK_FRAMES
        return first / rate, last / rate


def _open(path: Path) -> wave.Wave_read:
    try:
        return wave.open(str(path), "rb")
    except (wave.Error, EOFError) as error:
        raise InvalidMedia(f"The audio is not a PCM WAV file ({error}).") from None
