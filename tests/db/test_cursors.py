"""Page cursors keep the shape clients already hold, and refuse anything else as a 400."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from media_analysis.db.repositories.cursors import (
    offset_cursor,
    position_cursor,
    read_offset_cursor,
    read_position_cursor,
)
from media_analysis.errors import InvalidCursor

JOB_ID = uuid.UUID("0f6b1f5e-9a43-4d5e-8e0c-6c4b1f2f3a10")


def test_a_position_cursor_reads_back_in_utc() -> None:
    created_at = datetime(2026, 3, 1, 12, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert read_position_cursor(position_cursor(created_at, JOB_ID)) == (
        datetime(2026, 3, 1, 10, 30, 5, 123456, tzinfo=UTC),
        JOB_ID,
    )


def test_cursors_are_unpadded_base64url_of_their_payload() -> None:
    created_at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    # The exact text cursors handed out earlier carry, so they stay readable.
    issued = "MjAyNi0wMy0wMVQxMjowMDowMCswMDowMHwwZjZiMWY1ZS05YTQzLTRkNWUtOGUwYy02YzRiMWYyZjNhMTA"
    assert position_cursor(created_at, JOB_ID) == issued
    assert offset_cursor(40) == "c2VhcmNoOjQw"
    assert read_offset_cursor("c2VhcmNoOjQw") == 40


def test_no_cursor_starts_at_the_first_hit() -> None:
    assert read_offset_cursor(None) == 0
    assert read_offset_cursor("") == 0


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        "nonsense",
        position_cursor(datetime(2026, 1, 1, tzinfo=UTC), JOB_ID)[:-4],
        offset_cursor(3).replace("c2Vh", "ZmluZ"),
        "c2VhcmNoOsKy",  # "search:²": a digit int() refuses
        "9999-12-31T23:59:59-14:00",
    ],
)
def test_a_cursor_that_is_not_ours_is_invalid(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        read_position_cursor(cursor)
    with pytest.raises(InvalidCursor):
        read_offset_cursor(cursor)


def test_a_position_at_the_edge_of_the_calendar_is_invalid() -> None:
    far_west = timezone(-timedelta(hours=14))
    far = position_cursor(datetime(9999, 12, 31, 23, 59, 59, tzinfo=far_west), JOB_ID)
    with pytest.raises(InvalidCursor):
        read_position_cursor(far)
