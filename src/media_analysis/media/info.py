"""What probing tells us about a media file, read from ffprobe-style JSON."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

StreamKind = Literal["video", "audio", "subtitle", "data", "attachment"]


@dataclass(frozen=True)
class StreamInfo:
    kind: StreamKind
    codec: str
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    sample_rate: int | None = None
    channels: int | None = None


@dataclass(frozen=True)
class MediaInfo:
    duration: float
    format_name: str
    size: int
    streams: tuple[StreamInfo, ...]
    rotation: int = 0

    @property
    def has_video(self) -> bool:
        return any(stream.kind == "video" for stream in self.streams)

    @property
    def has_audio(self) -> bool:
        return any(stream.kind == "audio" for stream in self.streams)

    @property
    def video(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "video"), None)

    @property
    def display_size(self) -> tuple[int, int] | None:
        """Width and height as shown, i.e. after applying the rotation."""
        video = self.video
        if video is None or video.width is None or video.height is None:
            return None
        if self.rotation in (90, 270):
            return video.height, video.width
        return video.width, video.height


def streams_from_json(raw_streams: list[dict[str, Any]]) -> tuple[StreamInfo, ...]:
    """Real media streams only: cover art ("attached pictures") is not video."""
    return tuple(
        _stream_from_json(raw)
        for raw in raw_streams
        if raw.get("codec_type") in ("video", "audio")
        and not raw.get("disposition", {}).get("attached_pic")
    )


def _stream_from_json(raw: dict[str, Any]) -> StreamInfo:
    return StreamInfo(
        kind=raw["codec_type"],
        codec=str(raw.get("codec_name") or "unknown"),
        width=_int_or_none(raw.get("width")),
        height=_int_or_none(raw.get("height")),
        fps=_rate(raw.get("avg_frame_rate")) or _rate(raw.get("r_frame_rate")),
        sample_rate=_int_or_none(raw.get("sample_rate")),
        channels=_int_or_none(raw.get("channels")),
    )


def rotation_from_json(raw_streams: list[dict[str, Any]]) -> int:
    """Clockwise degrees (0, 90, 180, 270) that turn the first video upright."""
    for raw in raw_streams:
        if raw.get("codec_type") != "video" or raw.get("disposition", {}).get("attached_pic"):
            continue
        for side_data in raw.get("side_data_list", []):
            if "rotation" in side_data:
                return _quarter_turns(-float(side_data["rotation"]))
        rotate_tag = raw.get("tags", {}).get("rotate")
        return _quarter_turns(float(rotate_tag)) if rotate_tag else 0
    return 0


def duration_from_json(data: dict[str, Any]) -> float | None:
    format_duration = _float_or_none(data.get("format", {}).get("duration"))
    if format_duration:
        return format_duration
    stream_durations = [_float_or_none(s.get("duration")) for s in data.get("streams", [])]
    known = [d for d in stream_durations if d]
    return max(known) if known else None


def _quarter_turns(degrees: float) -> int:
    return (round(degrees / 90) * 90) % 360


def _rate(value: object) -> float | None:
    try:
        rate = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return float(rate) if rate > 0 else None


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _float_or_none(value: object) -> float | None:
    try:
        return float(str(value)) if value is not None else None
    except ValueError:
        return None
