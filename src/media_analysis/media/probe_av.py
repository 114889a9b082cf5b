"""ffprobe stand-in for machines without ffprobe, run as its own process.

``python -m media_analysis.media.probe_av FILE`` prints ffprobe-style JSON
(``-show_format -show_streams``); ``--serve`` keeps answering one JSON request
line (``{"path": ...}``) with one JSON line (``{"probe": ...}`` or
``{"error": ...}``) until stdin closes. Either way a file that crashes the
demuxer takes down this process, not the worker (see ``probe_helper``).
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import av

from media_analysis.media.ffmpeg_input import ALLOWED_DEMUXERS


def probe(path: str) -> dict[str, Any]:
    options = {"protocol_whitelist": "file", "format_whitelist": ALLOWED_DEMUXERS}
    with av.open(f"file:{path}", options=options) as container:
        streams = [_stream_json(stream) for stream in container.streams]
        _add_rotation(container, streams)
        duration = container.duration / 1_000_000 if container.duration else None
        return {
            "streams": streams,
            "format": {
                "format_name": container.format.name,
                "duration": duration,
                "size": container.size,
            },
        }


def _stream_json(stream: Any) -> dict[str, Any]:
    codec = stream.codec_context
    raw: dict[str, Any] = {
        "index": stream.index,
        "codec_type": stream.type,
        "codec_name": codec.name if codec is not None else None,
        "tags": dict(stream.metadata),
        "disposition": {"attached_pic": int(_is_attached_pic(stream))},
    }
    if stream.duration is not None and stream.time_base is not None:
        raw["duration"] = float(stream.duration * stream.time_base)
    if stream.type == "video":
        raw.update(width=codec.width, height=codec.height)
        raw["avg_frame_rate"] = str(stream.average_rate or 0)
        raw["r_frame_rate"] = str(stream.base_rate or 0)
    elif stream.type == "audio":
        raw.update(sample_rate=codec.sample_rate, channels=codec.layout.nb_channels)
    return raw


def _is_attached_pic(stream: Any) -> bool:
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _add_rotation(container: Any, streams: list[dict[str, Any]]) -> None:
    """The display matrix reaches PyAV on decoded frames, so decode one."""
    video = next((s for s in container.streams.video if not _is_attached_pic(s)), None)
    if video is None:
        return
    try:
        frame = next(container.decode(video))
    except (av.error.FFmpegError, StopIteration):
        return
    if frame.rotation:
        streams[video.index]["side_data_list"] = [{"rotation": frame.rotation}]


def main(argv: list[str]) -> int:
    if argv[1:] == ["--serve"]:
        return serve(sys.stdin, sys.stdout)
    if len(argv) != 2:
        print("usage: python -m media_analysis.media.probe_av FILE | --serve", file=sys.stderr)
        return 2
    try:
        data = probe(argv[1])
    except (av.error.FFmpegError, OSError, ValueError) as error:
        print(_reason(error), file=sys.stderr)
        return 1
    json.dump(data, sys.stdout)
    return 0


def serve(requests: TextIO, replies: TextIO) -> int:
    for line in requests:
        try:
            reply: dict[str, Any] = {"probe": probe(json.loads(line)["path"])}
        except (av.error.FFmpegError, OSError, ValueError, KeyError) as error:
            reply = {"error": _reason(error)}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
    return 0


def _reason(error: BaseException) -> str:
    return str(getattr(error, "strerror", None) or error)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
