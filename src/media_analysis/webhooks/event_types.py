"""The events a receiver can ask for."""

from __future__ import annotations

from typing import Literal

EventType = Literal["job.completed", "job.failed", "job.cancelled", "job.progress"]

TERMINAL_EVENTS: tuple[EventType, ...] = ("job.completed", "job.failed", "job.cancelled")
