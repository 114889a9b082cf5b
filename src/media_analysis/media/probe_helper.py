"""One long-lived PyAV probe process, for machines without ffprobe.

Starting a Python interpreter for every probe costs about 0.3 s; this keeps one
``probe_av --serve`` child per event loop and sends it one file at a time. The
child stays a separate process on purpose: a file that crashes the demuxer kills
the child, not the worker, and a probe that hangs is killed at its timeout. Either
way the next probe starts a fresh child.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import weakref
from pathlib import Path
from typing import Any

from media_analysis.errors import InvalidMedia, ProcessingTimeout

# A reply is one JSON line; tags can be long, but nothing a real file has needs more.
MAX_REPLY_BYTES = 8 << 20
_UNREADABLE = "The file could not be read as audio or video"


class ProbeHelper:
    """The child process and the lock that gives it one request at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()

    @classmethod
    async def start(cls) -> ProbeHelper:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "media_analysis.media.probe_av",
            "--serve",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
            limit=MAX_REPLY_BYTES,
        )
        return cls(process)

    @property
    def alive(self) -> bool:
        return self.process.returncode is None and self.loop is asyncio.get_running_loop()

    async def ask(self, path: Path) -> dict[str, Any] | None:
        """The child's reply for ``path``; None when the child died on it."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(_request(path))
        await stdin.drain()
        line = await stdout.readline()
        return dict(json.loads(line)) if line else None

    async def kill(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            if self.loop is asyncio.get_running_loop():
                await self.process.wait()


def _request(path: Path) -> bytes:
    return json.dumps({"path": str(path.resolve())}).encode() + b"\n"


_helper: ProbeHelper | None = None
_starting: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


async def probe_in_helper(path: Path, *, timeout: float) -> dict[str, Any]:
    """ffprobe-style JSON for ``path`` from the shared child; InvalidMedia when unreadable."""
    helper = await _running_helper()
    async with helper.lock:
        try:
            async with asyncio.timeout(timeout):
                reply = await helper.ask(path)
        except TimeoutError:
            await _discard(helper)
            raise ProcessingTimeout(
                f"probing did not finish within {timeout:.0f} seconds"
            ) from None
        except ValueError:  # an overlong or garbled reply
            await _discard(helper)
            raise InvalidMedia(f"{_UNREADABLE}.") from None
        except BaseException:  # cancelled or a broken pipe: a late reply would confuse the next
            await _discard(helper)
            raise
    if reply is None:
        await _discard(helper)
        raise InvalidMedia(f"{_UNREADABLE}.")
    if "error" in reply:
        raise InvalidMedia(f"{_UNREADABLE} ({reply['error']}).")
    return dict(reply["probe"])


async def close_probe_helper() -> None:
    """Stop the child (at shutdown); the next probe would start another."""
    if _helper is not None:
        await _discard(_helper)


async def _running_helper() -> ProbeHelper:
    global _helper
    loop = asyncio.get_running_loop()
    async with _starting.setdefault(loop, asyncio.Lock()):
        if _helper is None or not _helper.alive:
            if _helper is not None:
                _forget_other_loops_child(_helper)
            _helper = await ProbeHelper.start()
        return _helper


async def _discard(helper: ProbeHelper) -> None:
    global _helper
    if _helper is helper:
        _helper = None
    await helper.kill()


def _forget_other_loops_child(helper: ProbeHelper) -> None:
    """A child started by a loop that has ended cannot be awaited from this one."""
    if helper.process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(helper.process.pid, signal.SIGKILL)
