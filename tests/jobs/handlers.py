"""Job types used by the engine's tests, loaded into real worker processes as a plug-in.

Each handler appends a line per start and per finish to the log file named in its
parameters (small O_APPEND writes are atomic), so tests can count runs across processes.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from media_analysis.errors import InvalidMedia
from media_analysis.jobs.registry import HandlerRegistry, JobContext
from media_analysis.media.process import run_process
from media_analysis.storage import JobFiles


def _log(context: JobContext, what: str) -> None:
    log = context.job.parameters.get("log")
    if log:
        with open(log, "a") as handle:
            handle.write(f"{what} {context.job.id} {os.getpid()}\n")


async def sleeper(context: JobContext) -> dict[str, Any]:
    _log(context, "start")
    steps = int(context.job.parameters.get("steps", 4))
    seconds = float(context.job.parameters.get("seconds", 1.0))
    for step in range(steps):
        await context.progress.report("sleeping", 100 * step / steps, f"step {step + 1}")
        await asyncio.sleep(seconds / steps)
    _log(context, "done")
    return {"slept": seconds, "pid": os.getpid()}


async def chatty(context: JobContext) -> dict[str, Any]:
    """Many large progress events in a row, to fill a client's socket that is not read."""
    parts = int(context.job.parameters.get("parts", 100))
    filler = "x" * int(context.job.parameters.get("message_bytes", 1000))
    for part in range(parts):
        await context.progress.report(f"part {part + 1}", 100 * part / parts, filler)
    return {"parts": parts}


async def echo(context: JobContext) -> dict[str, Any]:
    _log(context, "start")
    _log(context, "done")
    return {"echo": context.job.parameters.get("value"), "pid": os.getpid()}


async def child_process(context: JobContext) -> dict[str, Any]:
    """Runs a long child process and reports its pid, to check cancellation kills it."""
    marker = Path(context.job.parameters["pid_file"])
    script = "import os,sys,time; open(sys.argv[1],'w').write(str(os.getpid())); time.sleep(120)"
    await context.progress.report("running", 1, "child started")
    await run_process([sys.executable, "-c", script, str(marker)], timeout=300)
    return {}


async def bad_input(context: JobContext) -> dict[str, Any]:
    raise InvalidMedia("The file is not a video a person would recognise.")


async def leaves_files(context: JobContext) -> dict[str, Any]:
    """Writes into both of its job folders, then fails: its files must go with it."""
    files = JobFiles(context.settings, context.job.id)
    context.remove_on_failure(files.upload_dir, files.output_dir)
    for folder in (files.upload_dir, files.output_dir):
        folder.mkdir(parents=True)
        (folder / "partial").write_bytes(b"half a file")
    raise InvalidMedia("The file ends half way through.")


async def crash(context: JobContext) -> dict[str, Any]:
    _log(context, "start")
    raise RuntimeError("boom at /secret/path")


def register(registry: HandlerRegistry) -> None:
    registry.register("test.sleep", sleeper)
    registry.register("test.echo", echo)
    registry.register("test.chatty", chatty)
    registry.register("test.child", child_process)
    registry.register("test.bad_input", bad_input)
    registry.register("test.crash", crash)
    registry.register("test.leaves_files", leaves_files)
