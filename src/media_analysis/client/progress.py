"""Showing progress: animated bars on a terminal, plain lines anywhere else."""

from __future__ import annotations

from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.text import Text

from media_analysis.client.models import StageProgress


class StageDisplay(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def show(self, update: StageProgress) -> None: ...
    def finish(self, completed: bool) -> None: ...


def stage_display(console: Console) -> StageDisplay:
    return StageBars(console) if console.is_terminal else StageLines(console)


class StageBars:
    """One bar per stage; a stage is complete once the next one starts."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[message]}", markup=False),
            console=console,
        )
        self._tasks: dict[str, TaskID] = {}

    def start(self) -> None:
        self._progress.start()

    def stop(self) -> None:
        self._progress.stop()

    def show(self, update: StageProgress) -> None:
        if update.stage not in self._tasks:
            self._complete_all()
            self._tasks[update.stage] = self._progress.add_task(update.stage, total=100, message="")
        task = self._tasks[update.stage]
        self._progress.update(task, completed=update.percent)
        if update.message:
            self._progress.update(task, message=update.message)

    def finish(self, completed: bool) -> None:
        if completed:
            self._complete_all()
        self.stop()

    def _complete_all(self) -> None:
        for task in self._tasks.values():
            self._progress.update(task, completed=100)


class StageLines:
    """A line when a stage starts, when its message changes and when it ends."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._shown: tuple[str, str | None] | None = None
        self._stage: str | None = None
        self._done: set[str] = set()

    def start(self) -> None:
        return None

    def stop(self) -> None:
        return None

    def show(self, update: StageProgress) -> None:
        if update.stage != self._stage:
            self._end_stage()
            self._stage = update.stage
        if update.percent >= 100:
            self._end_stage()
        elif self._shown != (update.stage, update.message):
            self._shown = (update.stage, update.message)
            self._line(update.stage, f"{update.percent:.0f}%", update.message)

    def finish(self, completed: bool) -> None:
        if completed:
            self._end_stage()

    def _end_stage(self) -> None:
        if self._stage is not None and self._stage not in self._done:
            self._done.add(self._stage)
            self._line(self._stage, "done")

    def _line(self, stage: str, state: str, message: str | None = None) -> None:
        text = Text(f"{stage}: {state}")
        if message:
            text.append(f" - {message}")
        self._console.print(text, highlight=False)


class UploadDisplay:
    """Bytes sent of one upload: a bar on a terminal, a start and an end line elsewhere."""

    def __init__(self, console: Console, name: str, size: int) -> None:
        self._console = console
        self._name = name
        self._size = size
        self._progress = Progress(
            TextColumn("uploading {task.description}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=console,
        )
        self._task = self._progress.add_task(name, total=size)

    def __enter__(self) -> UploadDisplay:
        if self._console.is_terminal:
            self._progress.start()
        else:
            self._console.print(Text(f"uploading {self._name} ({self._size} bytes)"))
        return self

    def __exit__(self, *_: object) -> None:
        if self._console.is_terminal:
            self._progress.stop()
        else:
            self._console.print(Text(f"uploaded {self._name}"))

    def sent(self, position: int) -> None:
        self._progress.update(self._task, completed=position)
