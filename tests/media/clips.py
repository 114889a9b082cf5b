"""Small media files made with ffmpeg for the media tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

from media_analysis.media.binaries import ffmpeg_path
from tests.paths import DATA

CORPUS = DATA
BIG_BUCK_BUNNY = CORPUS / "bigbuckbunny.mp4"
JFK_FLAC = CORPUS / "jfk.flac"
JFK_WAV = CORPUS / "jfk.wav"


def ffmpeg(*args: str) -> str:
    """Run ffmpeg synchronously; returns stderr (for counting frames and the like)."""
    completed = subprocess.run(
        [ffmpeg_path(), "-nostdin", "-hide_banner", "-y", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return completed.stderr


def make_video(dest: Path, *, seconds: float = 3, size: str = "320x240", rate: int = 25) -> Path:
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate={rate}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(dest),
    )  # fmt: skip
    return dest


def huge_frame_video(dest: Path) -> Path:
    """One second of one 8192×8192 solid colour: tiny on disk, 200 MB per decoded frame."""
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=navy:s=8192x8192:d=1:r=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(dest),
    )  # fmt: skip
    return dest


def rotated_video(dest: Path, source: Path) -> Path:
    """The same pixels with a 90 degree display rotation, as phones record them."""
    try:
        ffmpeg("-display_rotation", "90", "-i", str(source), "-c", "copy", str(dest))
    except subprocess.CalledProcessError:  # ffmpeg < 6.1 has no -display_rotation
        ffmpeg("-i", str(source), "-c", "copy", "-metadata:s:v", "rotate=90", str(dest))
    return dest


def variable_rate_video(dest: Path) -> Path:
    """2 s at 25 fps, then 10 s at 5 fps."""
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=4:size=320x240:rate=25",
        "-vf", "setpts='if(lt(N,50),N/25,2+(N-50)/5)/TB'", "-fps_mode", "vfr",
        "-c:v", "libx264", "-preset", "ultrafast", str(dest),
    )  # fmt: skip
    return dest


def tone(dest: Path, *extra: str, seconds: float, gated: bool = False) -> Path:
    """A 440 Hz tone; ``gated`` makes it 2 s of tone then 1 s of silence, repeated."""
    gate = ["-af", "volume='if(lt(mod(t,3),2),1,0)':eval=frame"] if gated else []
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", *gate, *extra, str(dest))
    return dest


def silence(dest: Path, *, seconds: float) -> Path:
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", str(seconds), str(dest))
    return dest


def ffmpeg_fps_frame_count(video: Path, fps: int) -> int:
    """How many frames ffmpeg's own fps filter makes, counted independently."""
    stderr = ffmpeg("-i", str(video), "-vf", f"fps={fps}", "-f", "null", "-")
    last_frame_line = [line for line in stderr.replace("\r", "\n").split("\n") if "frame=" in line]
    return int(last_frame_line[-1].split("frame=")[1].split()[0])
