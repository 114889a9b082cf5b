"""The old service's ``data/jobs/{job_id}.json``: reading it and naming its fields.

The old service wrote these files by hand over several releases, so field names vary
(``type`` / ``job_type``, ``video_url`` / ``media_url`` …). Every name ever seen is
listed here; anything else is kept verbatim in ``parameters["legacy_fields"]``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ID_FIELDS = ("job_id", "id")
STATUS_FIELDS = ("status", "state")
TYPE_FIELDS = ("type", "job_type", "kind")
URL_FIELDS = ("media_url", "video_url", "audio_url", "document_url", "url", "source_url")
FILENAME_FIELDS = ("original_filename", "filename", "file_name")
MEDIA_TYPE_FIELDS = ("media_type",)
PROMPT_FIELDS = ("prompt", "question")
CREATED_FIELDS = ("created_at", "created", "submitted_at", "timestamp")
STARTED_FIELDS = ("started_at", "processing_started_at")
COMPLETED_FIELDS = ("completed_at", "finished_at", "ended_at")
UPDATED_FIELDS = ("updated_at", "modified_at")
ERROR_FIELDS = ("error", "error_message", "message")
DURATION_MS_FIELDS = ("processing_time_ms",)
DURATION_S_FIELDS = ("processing_time", "duration_seconds", "elapsed")
PROGRESS_FIELDS = ("progress",)
RESULT_FIELDS = ("result",)
PARAMETER_FIELDS = (
    "fps",
    "grid",
    "contact_sheet_grid",
    "output_format",
    "frame_format",
    "language",
    "provider",
    "analysis_type",
)
# Counts the old service kept for display; the import recomputes them from the files.
DERIVED_FIELDS = ("frame_count", "has_contact_sheet", "has_transcription")

KNOWN_FIELDS = frozenset(
    ID_FIELDS
    + STATUS_FIELDS
    + TYPE_FIELDS
    + URL_FIELDS
    + FILENAME_FIELDS
    + MEDIA_TYPE_FIELDS
    + PROMPT_FIELDS
    + CREATED_FIELDS
    + STARTED_FIELDS
    + COMPLETED_FIELDS
    + UPDATED_FIELDS
    + ERROR_FIELDS
    + DURATION_MS_FIELDS
    + DURATION_S_FIELDS
    + PROGRESS_FIELDS
    + RESULT_FIELDS
    + PARAMETER_FIELDS
    + DERIVED_FIELDS
)


class UnreadableFile(Exception):
    """A legacy file exists but cannot be used; the message says why, for a person."""


def read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("is not UTF-8 text") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            f"is not valid JSON ({exc.msg}: line {exc.lineno}, column {exc.colno})"
        ) from None


def read_record(path: Path) -> dict[str, Any]:
    record = read_json(path)
    if not isinstance(record, dict):
        raise UnreadableFile(f"holds a JSON {type(record).__name__}, not an object")
    return record


def first_of(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The first of ``names`` present with a non-empty value."""
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None


def text_of(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    value = first_of(record, names)
    return None if value is None else str(value)


def unknown_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in KNOWN_FIELDS}
