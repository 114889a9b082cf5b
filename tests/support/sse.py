"""A small Server-Sent Events reader for tests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Event:
    id: str | None
    event: str
    data: dict[str, Any]


async def read_events(response: httpx.Response) -> AsyncIterator[Event]:
    fields: dict[str, str] = {}
    async for line in response.aiter_lines():
        if line.startswith(":"):
            continue
        if line == "":
            if "data" in fields or "event" in fields:
                yield Event(
                    fields.get("id"),
                    fields.get("event", "message"),
                    json.loads(fields.get("data", "{}") or "{}"),
                )
            fields = {}
            continue
        name, _, value = line.partition(":")
        fields[name] = value.removeprefix(" ")
