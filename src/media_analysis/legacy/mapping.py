"""Old statuses, job types and timestamps in the new service's terms.

Statuses: ``done``/``completed`` become ``completed``; ``error``/``failed`` become
``failed`` with the old message. A job the old service had not finished
(``queued``/``processing``) becomes ``failed`` with code ``legacy_incomplete``, not
``pending``: no worker of this service can resume the old service's work, and not
``cancelled``: nobody asked for it to stop. The client sees a finished job with a
machine-readable reason and can submit the media again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from media_analysis.db.models import JobStatus
from media_analysis.jobs.job_types import JobType

# Fixed for good: the ids of already-imported jobs are derived from it.
LEGACY_NAMESPACE = uuid.UUID("c3a99b35-79ab-4395-ab8e-f3b978461ffe")

FINISHED = {
    "done": JobStatus.COMPLETED,
    "complete": JobStatus.COMPLETED,
    "completed": JobStatus.COMPLETED,
    "success": JobStatus.COMPLETED,
    "succeeded": JobStatus.COMPLETED,
    "error": JobStatus.FAILED,
    "failed": JobStatus.FAILED,
    "failure": JobStatus.FAILED,
    "cancelled": JobStatus.CANCELLED,
    "canceled": JobStatus.CANCELLED,
}
UNFINISHED = frozenset({"queued", "pending", "processing", "running", "in_progress", "started"})

JOB_TYPES = {
    "video": JobType.VIDEO,
    "analyze": JobType.ANALYZE,
    "analysis": JobType.ANALYZE,
    "image": JobType.ANALYZE,
    "contact_sheet": JobType.CONTACT_SHEET,
    "contact-sheet": JobType.CONTACT_SHEET,
    "frames": JobType.EXTRACT_FRAMES,
    "extract_frames": JobType.EXTRACT_FRAMES,
    "extract-frames": JobType.EXTRACT_FRAMES,
    "audio": JobType.AUDIO,
    "transcribe": JobType.TRANSCRIBE,
    "transcription": JobType.TRANSCRIBE,
    "document": JobType.DOCUMENT,
    "documents": JobType.DOCUMENT,
}
UNKNOWN_JOB_TYPE = JobType.LEGACY
MEDIA_TYPES = frozenset({"video", "audio", "document", "image"})
# Epoch values above this are milliseconds (1e11 s is the year 5138).
MILLISECONDS_THRESHOLD = 1e11


@dataclass(frozen=True)
class MappedStatus:
    status: JobStatus
    error: dict[str, str] | None
    known: bool


def job_id_for(legacy_id: str) -> uuid.UUID:
    """The old id when it is a UUID; otherwise a stable UUID derived from it."""
    try:
        return uuid.UUID(legacy_id)
    except ValueError:
        return uuid.uuid5(LEGACY_NAMESPACE, legacy_id)


def map_status(raw: Any, old_error: str | None) -> MappedStatus:
    name = str(raw or "").strip().lower()
    status = FINISHED.get(name)
    if status is JobStatus.FAILED:
        message = old_error or "The legacy service recorded this job as failed, without a reason."
        return MappedStatus(status, {"code": "legacy_error", "message": message}, True)
    if status is not None:
        return MappedStatus(status, None, True)
    if name in UNFINISHED:
        message = (
            f"The legacy service still had this job '{name}' when its data was imported; "
            "it never finished and cannot be resumed. Submit the media again."
        )
        return MappedStatus(
            JobStatus.FAILED, {"code": "legacy_incomplete", "message": message}, True
        )
    described = f"the unrecognised status '{name}'" if name else "no status"
    message = f"The legacy service recorded {described}; how this job ended is unknown."
    error = {"code": "legacy_unknown_status", "message": message}
    return MappedStatus(JobStatus.FAILED, error, False)


def map_job_type(raw: Any) -> JobType:
    return JOB_TYPES.get(str(raw or "").strip().lower(), UNKNOWN_JOB_TYPE)


def media_type_of(raw: Any, job_type: str, sniffed_kind: str | None) -> str | None:
    declared = str(raw or "").strip().lower()
    if declared in MEDIA_TYPES:
        return declared
    if sniffed_kind in MEDIA_TYPES:
        return sniffed_kind
    family = job_type.split(".")[0]
    return family if family in MEDIA_TYPES else None


def parse_time(raw: Any) -> datetime | None:
    """ISO 8601 text or epoch seconds/milliseconds; naive times are taken as UTC."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return _from_epoch(float(raw))
    text = str(raw).strip()
    try:
        return _from_epoch(float(text))
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _from_epoch(value: float) -> datetime | None:
    if value != value or value <= 0:  # NaN or not a moment the old service could have seen
        return None
    seconds = value / 1000 if value > MILLISECONDS_THRESHOLD else value
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def positive_number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < float("inf") else None


def error_text(raw: Any) -> str | None:
    if raw is None or raw == "" or raw is False:
        return None
    if isinstance(raw, dict):
        message = raw.get("message") or raw.get("detail") or raw.get("error")
        return str(message) if message else str(raw)
    return str(raw)
