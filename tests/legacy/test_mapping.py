"""How old statuses, types, ids and timestamps read in the new service's terms."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from media_analysis.db.models import JobStatus
from media_analysis.legacy.mapping import job_id_for, map_job_type, map_status, parse_time


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01T10:00:00Z", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("2024-03-01T12:00:00+02:00", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("2024-03-02", datetime(2024, 3, 2, tzinfo=UTC)),
        (1709287200, datetime(2024, 3, 1, 10, tzinfo=UTC)),
        (1709287200.5, datetime(2024, 3, 1, 10, 0, 0, 500000, tzinfo=UTC)),
        (1709287200000, datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("1709287200", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("yesterday", None),
        (True, None),
        (-5, None),
        (None, None),
    ],
)
def test_parse_time(raw: object, expected: datetime | None) -> None:
    assert parse_time(raw) == expected


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ("done", JobStatus.COMPLETED, None),
        ("Completed", JobStatus.COMPLETED, None),
        ("error", JobStatus.FAILED, "legacy_error"),
        ("failed", JobStatus.FAILED, "legacy_error"),
        ("cancelled", JobStatus.CANCELLED, None),
        ("canceled", JobStatus.CANCELLED, None),
        ("queued", JobStatus.FAILED, "legacy_incomplete"),
        ("processing", JobStatus.FAILED, "legacy_incomplete"),
        ("exploded", JobStatus.FAILED, "legacy_unknown_status"),
        (None, JobStatus.FAILED, "legacy_unknown_status"),
    ],
)
def test_map_status(raw: object, status: JobStatus, code: str | None) -> None:
    mapped = map_status(raw, "disk full")
    assert mapped.status is status
    assert (mapped.error or {}).get("code") == code


def test_failed_job_keeps_the_old_message() -> None:
    assert map_status("error", "disk full").error == {
        "code": "legacy_error",
        "message": "disk full",
    }
    assert "without a reason" in (map_status("failed", None).error or {})["message"]


def test_unfinished_job_says_it_cannot_be_resumed() -> None:
    message = (map_status("queued", None).error or {})["message"]
    assert "never finished" in message
    assert "Submit the media again" in message


@pytest.mark.parametrize(
    ("raw", "job_type"),
    [
        ("video", "video"),
        ("contact_sheet", "video.contact_sheet"),
        ("frames", "video.extract_frames"),
        ("audio", "audio"),
        ("transcribe", "audio.transcribe"),
        ("analyze", "analyze"),
        ("document", "document"),
        ("teleport", "legacy"),
        (None, "legacy"),
    ],
)
def test_map_job_type(raw: object, job_type: str) -> None:
    assert map_job_type(raw) == job_type


def test_uuid_ids_are_kept_and_others_get_a_stable_uuid() -> None:
    kept = str(uuid.uuid4())
    assert str(job_id_for(kept)) == kept
    derived = job_id_for("job-42")
    assert derived == job_id_for("job-42") != job_id_for("job-43")
    assert derived.version == 5
