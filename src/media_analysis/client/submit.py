"""Submitting a local file (streamed, with a progress bar) or a URL to the right endpoint."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rich.console import Console

from media_analysis.client.errors import ClientError, JobNotDone, ProblemAnswer
from media_analysis.client.http import ApiClient
from media_analysis.client.models import Job
from media_analysis.client.progress import UploadDisplay

Kind = Literal["auto", "video", "audio", "document"]


@dataclass(frozen=True)
class Endpoint:
    path: str
    url_field: str


ENDPOINTS: dict[str, Endpoint] = {
    "auto": Endpoint("/api/media/analyze", "media_url"),
    "video": Endpoint("/api/media/video", "video_url"),
    "audio": Endpoint("/api/media/audio", "audio_url"),
    "document": Endpoint("/api/media/documents", "document_url"),
}


class ReportingFile(io.FileIO):
    """A file read for upload that reports how far it has been read."""

    def __init__(self, path: Path, on_position: Callable[[int], None]) -> None:
        super().__init__(path, "rb")
        self._on_position = on_position

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size) or b""
        self._on_position(self.tell())
        return chunk


def submit(api: ApiClient, console: Console, source: str, kind: Kind, prompt: str | None) -> Job:
    endpoint = ENDPOINTS[kind]
    fields = {"prompt": prompt} if prompt else {}
    try:
        if is_url(source):
            return api.submit_url(endpoint.path, {endpoint.url_field: source, **fields})
        return _upload(api, console, endpoint, local_file(source), fields)
    except ProblemAnswer as problem:
        if 400 <= problem.status < 500:
            raise JobNotDone(f"the server refused the submission: {problem.message}") from problem
        raise


def _upload(
    api: ApiClient, console: Console, endpoint: Endpoint, path: Path, fields: dict[str, str]
) -> Job:
    display = UploadDisplay(console, path.name, path.stat().st_size)
    with display, ReportingFile(path, display.sent) as upload:
        return api.submit_file(endpoint.path, upload, path.name, fields)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def local_file(source: str) -> Path:
    if "://" in source:
        raise ClientError(f"only http(s) URLs and local files can be analysed ({source})")
    path = Path(source).expanduser()
    if not path.is_file():
        raise ClientError(f"no such file: {source}")
    return path
