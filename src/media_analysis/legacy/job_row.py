"""The ``jobs`` row of a legacy job: its status, type, times, parameters and result."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from media_analysis.db.models import JobStatus
from media_analysis.legacy import record as fields
from media_analysis.legacy.assets import PlannedAsset
from media_analysis.legacy.mapping import (
    UNKNOWN_JOB_TYPE,
    MappedStatus,
    error_text,
    map_job_type,
    map_status,
    media_type_of,
    parse_time,
    positive_number,
)
from media_analysis.legacy.report import Finding
from media_analysis.pipelines.frame_assets import content_url


@dataclass
class JobSource:
    """What the job row is built from: the record and what was found beside it."""

    legacy_id: str
    job_id: uuid.UUID
    record: dict[str, Any]
    record_name: str
    record_mtime: float
    fps: float
    assets: list[PlannedAsset]
    transcript: str | None
    analysis: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.findings.append(Finding("warning", self.record_name, message))

    def assets_of(self, asset_type: str) -> list[PlannedAsset]:
        return [asset for asset in self.assets if asset.row["asset_type"] == asset_type]


def job_row(source: JobSource) -> dict[str, Any]:
    record = source.record
    job_type = _job_type(source)
    status = _status(source)
    media_type = media_type_of(
        fields.first_of(record, fields.MEDIA_TYPE_FIELDS), job_type, _original_kind(source)
    )
    row: dict[str, Any] = {
        "id": source.job_id,
        "job_type": job_type,
        "status": status.status.value,
        "media_type": media_type,
        "media_url": fields.text_of(record, fields.URL_FIELDS),
        "original_filename": fields.text_of(record, fields.FILENAME_FIELDS),
        "prompt": fields.text_of(record, fields.PROMPT_FIELDS),
        "parameters": parameters(source),
        "error": status.error,
        "attempts": 0 if status.error and status.error["code"] == "legacy_incomplete" else 1,
        "progress": _progress(record, status.status),
        **_times(source, status.status),
    }
    row["result"] = _result(source, row) if status.status is JobStatus.COMPLETED else None
    return row


def _job_type(source: JobSource) -> str:
    raw = fields.first_of(source.record, fields.TYPE_FIELDS)
    job_type = map_job_type(raw)
    if job_type == UNKNOWN_JOB_TYPE:
        source.warn(f"job type {raw!r} is not known; imported as job type '{job_type}'")
    return job_type


def _status(source: JobSource) -> MappedStatus:
    raw = fields.first_of(source.record, fields.STATUS_FIELDS)
    status = map_status(raw, error_text(fields.first_of(source.record, fields.ERROR_FIELDS)))
    if not status.known:
        source.warn(f"status {raw!r} is not known; imported as failed")
    return status


def parameters(source: JobSource) -> dict[str, Any]:
    record = source.record
    values = {name: record[name] for name in fields.PARAMETER_FIELDS if name in record}
    values["fps"] = source.fps
    if str(source.job_id) != source.legacy_id:
        values["legacy_job_id"] = source.legacy_id
    unknown = fields.unknown_fields(record)
    if unknown:
        values["legacy_fields"] = unknown
        source.warn(
            f"unknown fields kept in parameters.legacy_fields: {', '.join(sorted(unknown))}"
        )
    return values


def _original_kind(source: JobSource) -> str | None:
    originals = source.assets_of("original")
    return str(originals[0].row["metadata_"]["kind"]) if originals else None


def _times(source: JobSource, status: JobStatus) -> dict[str, Any]:
    created = _time(source, fields.CREATED_FIELDS)
    if created is None:
        created = datetime.fromtimestamp(source.record_mtime, UTC)
        source.warn("no usable created_at; the job file's modification time is used")
    started = _time(source, fields.STARTED_FIELDS)
    updated = _time(source, fields.UPDATED_FIELDS)
    completed = (
        (_time(source, fields.COMPLETED_FIELDS) or updated or created) if status.finished else None
    )
    return {
        "created_at": created,
        "run_after": created,
        "started_at": started,
        "completed_at": completed,
        "updated_at": updated or completed or created,
        "processing_time_ms": _processing_ms(source.record, started, completed),
    }


def _time(source: JobSource, names: tuple[str, ...]) -> datetime | None:
    raw = fields.first_of(source.record, names)
    parsed = parse_time(raw)
    if raw is not None and parsed is None:
        source.warn(f"{names[0]} {raw!r} is not a time; ignored")
    return parsed


def _processing_ms(
    record: dict[str, Any], started: datetime | None, completed: datetime | None
) -> int | None:
    milliseconds = positive_number(fields.first_of(record, fields.DURATION_MS_FIELDS))
    if milliseconds is None:
        seconds = positive_number(fields.first_of(record, fields.DURATION_S_FIELDS))
        milliseconds = seconds * 1000 if seconds is not None else None
    if milliseconds is None and started and completed and completed >= started:
        milliseconds = (completed - started).total_seconds() * 1000
    return round(milliseconds) if milliseconds is not None else None


def _progress(record: dict[str, Any], status: JobStatus) -> dict[str, Any]:
    if status is JobStatus.COMPLETED:
        return {"stage": "completed", "percent": 100.0}
    percent = positive_number(fields.first_of(record, fields.PROGRESS_FIELDS)) or 0.0
    return {"stage": status.value, "percent": round(min(percent, 100.0), 1)}


def _result(source: JobSource, row: dict[str, Any]) -> dict[str, Any]:
    sheets = [_sheet_summary(asset) for asset in source.assets_of("contact_sheet")]
    result: dict[str, Any] = {
        "status": "completed",
        "media_type": row["media_type"],
        "frame_count": len(source.assets_of("frame")),
        "fps": source.fps,
        "contact_sheet_path": sheets[0]["url"] if sheets else None,
        "contact_sheets": sheets,
        "transcript": _transcript_summary(source),
        "providers": [],
        "analysis_result": source.analysis or {},
        "processing_time_ms": row["processing_time_ms"],
    }
    legacy_result = source.record.get("result")
    if legacy_result is not None:
        result["legacy_result"] = legacy_result
    return result


def _sheet_summary(asset: PlannedAsset) -> dict[str, Any]:
    row = asset.row
    return {
        "index": row["frame_index"],
        "asset_id": str(row["id"]),
        "url": content_url(row["id"]),
        "width": row.get("width"),
        "height": row.get("height"),
        "tiles": row["metadata_"]["tiles"],
    }


def _transcript_summary(source: JobSource) -> dict[str, Any] | None:
    if source.transcript is None:
        return None
    return {
        "text": source.transcript,
        "language": fields.text_of(source.record, ("language",)),
        "word_count": len(source.transcript.split()),
        "provider": "legacy",
        "model": None,
    }
