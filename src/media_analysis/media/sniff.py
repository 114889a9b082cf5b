"""Tell what a file is from its first bytes, never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal, NamedTuple

from media_analysis.media.sniff_text import sniff_text

MediaKind = Literal["video", "audio", "image", "document", "unknown"]
HEAD_BYTES = 8192

_OOXML = "application/vnd.openxmlformats-officedocument"
_OFFICE_PARTS = (
    ("word/document.xml", f"{_OOXML}.wordprocessingml.document"),
    ("ppt/presentation.xml", f"{_OOXML}.presentationml.presentation"),
    ("xl/workbook.xml", f"{_OOXML}.spreadsheetml.sheet"),
)
_PREFIXES: tuple[tuple[bytes, str, MediaKind], ...] = (
    (b"%PDF-", "application/pdf", "document"),
    (b"{\\rtf", "application/rtf", "document"),
    (b"\xff\xd8\xff", "image/jpeg", "image"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "image"),
    (b"GIF87a", "image/gif", "image"),
    (b"GIF89a", "image/gif", "image"),
    (b"BM", "image/bmp", "image"),
    (b"II*\x00", "image/tiff", "image"),
    (b"MM\x00*", "image/tiff", "image"),
    (b"fLaC", "audio/flac", "audio"),
    (b"ID3", "audio/mpeg", "audio"),
    (b"#!AMR", "audio/amr", "audio"),
    (b"FLV\x01", "video/x-flv", "video"),
    (b"\x00\x00\x01\xba", "video/mpeg", "video"),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "video/x-ms-asf", "video"),
)
_RIFF_TYPES: dict[bytes, tuple[str, MediaKind]] = {
    b"WAVE": ("audio/wav", "audio"),
    b"AVI ": ("video/x-msvideo", "video"),
    b"WEBP": ("image/webp", "image"),
}
_FTYP_BRANDS: dict[bytes, tuple[str, MediaKind]] = {
    b"qt  ": ("video/quicktime", "video"),
    b"M4A ": ("audio/mp4", "audio"),
    b"M4B ": ("audio/mp4", "audio"),
    b"heic": ("image/heic", "image"),
    b"heix": ("image/heic", "image"),
    b"mif1": ("image/heif", "image"),
    b"avif": ("image/avif", "image"),
    b"3gp4": ("video/3gpp", "video"),
    b"3gp5": ("video/3gpp", "video"),
}
UNKNOWN: tuple[str, MediaKind] = ("application/octet-stream", "unknown")


class SniffedType(NamedTuple):
    mime_type: str
    kind: MediaKind


def sniff_file(path: Path) -> SniffedType:
    """Read the start of ``path`` (blocking: call through a thread from async code)."""
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> SniffedType:
    """Classify from the first few KB; zip containers need ``sniff_file``."""
    for prefix, mime_type, kind in _PREFIXES:
        if head.startswith(prefix):
            return SniffedType(mime_type, kind)
    detected = _sniff_containers(head) or _sniff_streams(head)
    return SniffedType(*(detected or sniff_text(head) or UNKNOWN))


def _sniff_containers(head: bytes) -> tuple[str, MediaKind] | None:
    if head[:4] == b"RIFF":
        return _RIFF_TYPES.get(head[8:12])
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "audio/aiff", "audio"
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], ("video/mp4", "video"))
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return ("video/webm", "video") if b"webm" in head[:64] else ("video/x-matroska", "video")
    if head[:4] == b"OggS":
        return _sniff_ogg(head)
    return None


def _sniff_ogg(head: bytes) -> tuple[str, MediaKind]:
    if b"theora" in head[:128] or b"\x80theora" in head:
        return "video/ogg", "video"
    if b"OpusHead" in head[:128]:
        return "audio/ogg; codecs=opus", "audio"
    return "audio/ogg", "audio"


def _sniff_streams(head: bytes) -> tuple[str, MediaKind] | None:
    """Formats without a header: MPEG-TS packets and MPEG audio / ADTS frames."""
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:
        return "video/mp2t", "video"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "audio/aac", "audio"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "audio/mpeg", "audio"
    return None


def _sniff_zip(path: Path) -> SniffedType:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return SniffedType(*UNKNOWN)
    for part, mime_type in _OFFICE_PARTS:
        if part in names:
            return SniffedType(mime_type, "document")
    return SniffedType("application/zip", "unknown")
