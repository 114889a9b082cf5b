"""Writing a finished job's result, transcript and contact sheets into a folder."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from rich.console import Console
from rich.text import Text

from media_analysis.client.errors import ProblemAnswer
from media_analysis.client.http import ApiClient
from media_analysis.client.models import Job

IMAGE_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def save_outputs(api: ApiClient, console: Console, job: Job, folder: Path, format_: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    written = [_save_result(job, folder)]
    transcript = _save_transcript(api, job, folder, format_)
    if transcript is None:
        console.print(Text("no transcript: the job produced none"))
    else:
        written.append(transcript)
    written.extend(_save_contact_sheets(api, job, folder))
    for path in written:
        console.print(Text(f"wrote {path}"))


def _save_result(job: Job, folder: Path) -> Path:
    path = folder / "result.json"
    path.write_text(json.dumps(job.result, indent=2, ensure_ascii=False) + "\n")
    return path


def _save_transcript(api: ApiClient, job: Job, folder: Path, format_: str) -> Path | None:
    try:
        body = api.transcript(job.id, format_)
    except ProblemAnswer as problem:
        if problem.status == 404:
            return None
        raise
    path = folder / f"transcript.{format_}"
    path.write_bytes(body)
    return path


def _save_contact_sheets(api: ApiClient, job: Job, folder: Path) -> list[Path]:
    paths = []
    for number, sheet in enumerate(api.assets(job.id, "contact_sheet"), 1):
        path = folder / f"contact_sheet_{number:02d}{_suffix(sheet.mime_type)}"
        api.download(sheet.url, path)
        paths.append(path)
    return paths


def _suffix(mime_type: str | None) -> str:
    if mime_type in IMAGE_SUFFIXES:
        return IMAGE_SUFFIXES[mime_type]
    return (mime_type and mimetypes.guess_extension(mime_type)) or ".bin"
