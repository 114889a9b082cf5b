"""Page cursors: opaque to clients, unpadded base64url text, one codec for every list.

A position cursor holds the last row's ``created_at|id`` for lists ordered newest
first; an offset cursor (``search:N``) holds how many ranked hits were already served.
"""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

from media_analysis.errors import InvalidCursor

OFFSET_PREFIX = "search"


def position_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    return _encode(f"{created_at.isoformat()}|{row_id}")


def read_position_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        created_at, row_id = _decode(cursor).split("|")
        # In UTC, as PostgreSQL compares it: a date at the edge of the calendar overflows.
        return datetime.fromisoformat(created_at).astimezone(UTC), uuid.UUID(row_id)
    except (ValueError, OverflowError) as exc:
        raise _invalid() from exc


def offset_cursor(offset: int) -> str:
    return _encode(f"{OFFSET_PREFIX}:{offset}")


def read_offset_cursor(cursor: str | None) -> int:
    """The offset a cursor continues from; 0 without a cursor."""
    if not cursor:
        return 0
    try:
        prefix, _, number = _decode(cursor).partition(":")
        if prefix == OFFSET_PREFIX and number.isdigit():
            return int(number)
    except ValueError as exc:
        raise _invalid() from exc
    raise _invalid()


def _encode(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()


def _invalid() -> InvalidCursor:
    return InvalidCursor("The cursor is not valid; use next_cursor from a previous page.")
