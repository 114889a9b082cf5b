"""How every ffmpeg/ffprobe run opens its input: a local file, a fixed set of demuxers.

Playlists and concat lists (hls, concat, ...) are not on the demuxer list, so an
uploaded file can never make ffmpeg read other local files or reach the network.
"""

from __future__ import annotations

from pathlib import Path

from media_analysis.media.process import last_error_line

ALLOWED_DEMUXERS = ",".join(
    [
        "mov", "matroska", "avi", "flv", "mpegts", "mpeg", "asf", "mxf", "ivf", "rm",
        "wav", "w64", "aiff", "caf", "mp3", "flac", "ogg", "aac", "ac3", "eac3", "dts",
        "amr", "wv", "ape", "au", "h264", "hevc", "m4v", "gif",
    ]
)  # fmt: skip


def input_args(path: Path) -> list[str]:
    """Arguments that open ``path`` as the (only) input."""
    return [
        "-protocol_whitelist",
        "file,pipe",
        "-format_whitelist",
        ALLOWED_DEMUXERS,
        "-i",
        f"file:{path.resolve()}",
    ]


def failure_reason(stderr: str, path: Path) -> str:
    """The telling line of ffmpeg's stderr with local paths taken out."""
    line = last_error_line(stderr)
    for local in (f"file:{path.resolve()}", str(path.resolve()), str(path)):
        line = line.replace(local, "input")
    return line
