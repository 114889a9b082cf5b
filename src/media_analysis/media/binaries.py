"""Locate the ffmpeg and ffprobe executables.

A system ffmpeg on PATH wins; otherwise the binary shipped in the imageio-ffmpeg
wheel is used, so a fresh machine needs nothing installed by hand. ffprobe has no
wheel, so ``ffprobe_path()`` may return None and probing falls back to PyAV.
"""

from __future__ import annotations

import shutil
from functools import cache


@cache
def ffmpeg_path() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


@cache
def ffprobe_path() -> str | None:
    return shutil.which("ffprobe")
