"""Following a job's Server-Sent Events, reconnecting with Last-Event-ID when cut off."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from media_analysis.client.errors import ServerUnreachable
from media_analysis.client.http import ApiClient

TERMINAL_EVENTS = frozenset({"completed", "failed", "cancelled"})
MAX_RECONNECTS = 8
RECONNECT_DELAY_SECONDS = 0.5


@dataclass(frozen=True)
class ServerEvent:
    name: str
    data: str
    id: str | None


def parse_events(lines: Iterable[str]) -> Iterator[ServerEvent]:
    """Events from the lines of a text/event-stream body (comments are keep-alives)."""
    name, data, event_id = "message", list[str](), None
    for line in lines:
        if not line:
            if data:
                yield ServerEvent(name, "\n".join(data), event_id)
            name, data = "message", []
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
        elif field == "id":
            event_id = value


class EventFollower:
    """One job's events until a terminal one; ``events()`` resumes where it stopped."""

    def __init__(self, api: ApiClient, job_id: str) -> None:
        self._api = api
        self._job_id = job_id
        self.last_event_id: str | None = None

    def events(self) -> Iterator[ServerEvent]:
        misses = 0
        while True:
            try:
                for event in self._connection():
                    misses = 0
                    yield event
                    if event.name in TERMINAL_EVENTS:
                        return
            except ServerUnreachable:
                if misses >= MAX_RECONNECTS:
                    raise
            # A stream that closed (or broke) before the terminal event: ask again.
            misses += 1
            if misses > MAX_RECONNECTS:
                raise ServerUnreachable("the job's event stream kept closing before the job ended")
            time.sleep(RECONNECT_DELAY_SECONDS * misses)

    def _connection(self) -> Iterator[ServerEvent]:
        with self._api.events(self._job_id, self.last_event_id) as response:
            for event in parse_events(response.iter_lines()):
                self.last_event_id = event.id or self.last_event_id
                yield event
