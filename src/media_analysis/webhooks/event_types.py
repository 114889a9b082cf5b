"""The events a receiver can ask for."""

from __future__ import annotations

from typing import Literal

EventType = Literal["job.completed", "job.failed", "job.cancelled", "job.progress"]

TERMINAL_EVENTS: tuple[EventType, ...] = ("job.completed", "job.failed", "job.cancelled")
PROGRESS_EVENT: EventType = "job.progress"


def event_type_of(job_event: str) -> str:
    """``completed`` (a job event) → ``job.completed`` (a webhook event type)."""
    return f"job.{job_event}"
