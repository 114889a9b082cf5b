"""Server-Sent Events of one job: replay from Last-Event-ID, follow live, end on terminal."""

from __future__ import annotations

import functools
import json

from media_analysis.db.repositories.events import MAX_SEQUENCE, EventRecord

RECONNECT_MILLISECONDS = 1000
# Sent to a client that is cut off for falling behind: reconnect soon, with Last-Event-ID.
CUT_OFF_FRAME = (
    f": too far behind, reconnect with Last-Event-ID\r\nretry: {RECONNECT_MILLISECONDS}\r\n\r\n"
).encode()


@functools.lru_cache(maxsize=4096)
def sse_frame(event: EventRecord) -> bytes:
    """Encoded once per event and process: every watcher is handed the same record."""
    data = json.dumps(event.data)
    return f"id: {event.sequence}\r\nevent: {event.event_type}\r\ndata: {data}\r\n\r\n".encode()


def parse_last_event_id(value: str | None) -> int:
    """The sequence to resume after; anything that is not one of our ids means the start."""
    if value is None:
        return 0
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_SEQUENCE)):
        return 0
    sequence = int(text)
    return sequence if sequence <= MAX_SEQUENCE else 0
