"""Streaming multipart/form-data: the `file` part goes to disk in chunks, capped."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from media_analysis.errors import BadRequest, PayloadTooLarge
from media_analysis.media.uploads import too_large_message

FILE_FIELD = "file"
MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 50


@dataclass
class UploadedFile:
    path: Path
    filename: str | None
    size: int
    sha256: str
    kind: str = "unknown"
    mime_type: str = "application/octet-stream"


@dataclass
class _PartState:
    headers: dict[str, str] = field(default_factory=dict)
    header_name: bytes = b""
    header_value: bytes = b""
    name: str | None = None
    filename: str | None = None
    value: bytearray = field(default_factory=bytearray)
    sink: IO[bytes] | None = None


class _FormCollector:
    def __init__(self, dest_dir: Path, max_bytes: int) -> None:
        self.dest_dir = dest_dir
        self.max_bytes = max_bytes
        self.fields: dict[str, str] = {}
        self.upload: UploadedFile | None = None
        self.part = _PartState()
        self.complete = False
        self._digest = hashlib.sha256()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda d, s, e: self._append("header_name", d[s:e]),
            "on_header_value": lambda d, s, e: self._append("header_value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._end,
            "on_end": self._body_end,
        }

    def _append(self, attribute: str, data: bytes) -> None:
        setattr(self.part, attribute, getattr(self.part, attribute) + data)

    def _begin(self) -> None:
        self.part = _PartState()

    def _header_end(self) -> None:
        name = self.part.header_name.decode("latin-1").lower()
        self.part.headers[name] = self.part.header_value.decode("latin-1")
        self.part.header_name = self.part.header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get("content-disposition", ""))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = options.get(b"filename")
        if raw_filename is not None and self.part.name == FILE_FIELD:
            if self.upload is not None:
                raise BadRequest("Send exactly one file, in the field named 'file'.")
            self.part.filename = _safe_filename(raw_filename)
            path = self.dest_dir / f"{uuid.uuid4().hex}.part"
            self.part.sink = path.open("wb")
            self.upload = UploadedFile(path, self.part.filename or None, 0, "")
        elif len(self.fields) >= MAX_FIELDS:
            raise BadRequest("Too many form fields.")

    def _data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.part.sink is not None and self.upload is not None:
            self.upload.size += len(chunk)
            if self.upload.size > self.max_bytes:
                raise PayloadTooLarge(too_large_message(self.max_bytes))
            self._digest.update(chunk)
            self.part.sink.write(chunk)
            return
        self.part.value += chunk
        if len(self.part.value) > MAX_FIELD_BYTES:
            raise PayloadTooLarge("A form field is larger than 64 KiB.")

    def _end(self) -> None:
        if self.part.sink is not None and self.upload is not None:
            self.part.sink.close()
            self.upload.sha256 = self._digest.hexdigest()
        elif self.part.name:
            self.fields[self.part.name] = self.part.value.decode("utf-8", "replace")

    def _body_end(self) -> None:
        self.complete = True

    def abandon(self) -> None:
        if self.part.sink is not None:
            self.part.sink.close()
        if self.upload is not None:
            self.upload.path.unlink(missing_ok=True)


async def read_multipart(
    request: Request, dest_dir: Path, max_bytes: int
) -> tuple[dict[str, str], UploadedFile | None]:
    """Parse the form while it streams in; nothing larger than a field stays in memory."""
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise BadRequest("multipart/form-data needs a boundary.")
    collector = _FormCollector(dest_dir, max_bytes)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        if not collector.complete:
            raise BadRequest("The multipart/form-data body ends before its closing boundary.")
    except FormParserError as exc:
        collector.abandon()
        raise BadRequest("The multipart/form-data body is malformed.") from exc
    except BaseException:
        collector.abandon()
        raise
    return collector.fields, collector.upload


def _safe_filename(raw: bytes) -> str:
    name = Path(raw.decode("utf-8", "replace")).name
    if "\x00" in name:
        raise BadRequest("The uploaded file's name must not contain a NUL character.")
    return name
