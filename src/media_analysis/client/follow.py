"""Following a job to its end, and what Ctrl-C means while doing so."""

from __future__ import annotations

import sys
from typing import Literal

from rich.console import Console
from rich.prompt import Confirm
from rich.text import Text

from media_analysis.client.events import TERMINAL_EVENTS, EventFollower
from media_analysis.client.http import ApiClient
from media_analysis.client.models import TERMINAL_STATUSES, Job, StageProgress
from media_analysis.client.progress import stage_display

Choice = Literal["cancel", "resume", "leave"]


class Interrupted(Exception):
    """The user stopped following; the exit code tells whether the job was cancelled."""

    def __init__(self, job_id: str, cancelled: bool) -> None:
        super().__init__(job_id)
        self.job_id = job_id
        self.cancelled = cancelled


def follow_to_end(api: ApiClient, console: Console, job: Job) -> Job:
    """Show the job's progress until it ends; Ctrl-C offers to cancel it."""
    follower = EventFollower(api, job.id)
    display = stage_display(console)
    display.show(StageProgress(stage=job.progress.stage, percent=job.progress.percent))
    cancelling = False
    while True:
        display.start()
        try:
            for event in follower.events():
                if event.name == "progress":
                    display.show(StageProgress.model_validate_json(event.data))
                elif event.name in TERMINAL_EVENTS:
                    display.finish(completed=event.name == "completed")
            break
        except KeyboardInterrupt:
            display.stop()
            choice = "leave" if cancelling else _ask_what_to_do(console, job.id)
            if choice == "leave":
                raise Interrupted(job.id, cancelled=cancelling) from None
            if choice == "cancel":
                cancelling = _cancel_unless_finished(api, console, job.id)
    finished = api.job(job.id)
    if cancelling and finished.status == "cancelled":
        raise Interrupted(job.id, cancelled=True)
    return finished


def _ask_what_to_do(console: Console, job_id: str) -> Choice:
    """Ask on a terminal; without one, leave the job running (nobody can answer)."""
    if not sys.stdin.isatty():
        return "leave"
    try:
        cancel = Confirm.ask(f"Cancel job {job_id}?", console=console, default=False)
    except (KeyboardInterrupt, EOFError):
        return "leave"
    return "cancel" if cancel else "resume"


def _cancel_unless_finished(api: ApiClient, console: Console, job_id: str) -> bool:
    """DELETE would remove a job that has just finished, so look before cancelling."""
    if api.job(job_id).status in TERMINAL_STATUSES:
        return False
    api.cancel(job_id)
    console.print(Text(f"cancelling job {job_id}"))
    return True
