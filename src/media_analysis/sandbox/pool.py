"""Children kept warm between calls, one call at a time each, discarded when unhealthy.

A warm child keeps what it loaded (the OCR engine, the Whisper model), so the second
job does not pay for loading them again. A child is never reused after it was
cancelled, timed out, died or ran out of memory, nor once it holds more than half of
its limit: its memory goes back to the system with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import psutil

from media_analysis.config import Settings
from media_analysis.errors import ProcessingTimeout, ResourceLimit
from media_analysis.sandbox.messages import Call, Reply, encode, read_reply

T = TypeVar("T")
MAX_IDLE_CHILDREN = 2
GIB = 1024**3

logger = logging.getLogger(__name__)


class Child:
    def __init__(self, process: asyncio.subprocess.Process, memory_limit: int) -> None:
        self.process = process
        self.memory_limit = memory_limit
        self.calls = 0

    @classmethod
    async def start(cls, memory_limit: int) -> Child:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "media_analysis.sandbox.child",
            str(memory_limit),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(process, memory_limit)

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def call(self, call: Call) -> Reply:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.calls += 1
        self.process.stdin.write(encode(call))
        await self.process.stdin.drain()
        return await read_reply(self.process.stdout)

    def holds_too_much(self) -> bool:
        try:
            return psutil.Process(self.process.pid).memory_info().rss > self.memory_limit / 2
        except psutil.Error:
            return True

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()


class ChildPool:
    def __init__(self, memory_limit: int) -> None:
        self.memory_limit = memory_limit
        self._idle: list[Child] = []
        self._reaping: set[asyncio.Task[int]] = set()

    async def run(self, function: Callable[[], T], timeout: float) -> T:
        child = await self._checkout()
        if child.calls == 0:
            return await self._run_in(child, function, timeout)
        try:
            return await self._run_in(child, function, timeout)
        except ResourceLimit:
            # What earlier calls left loaded in a warm child (another model, grown arenas)
            # counts against its limit too: only a fresh child's verdict is the file's.
            logger.info("retrying in a fresh child after a warm one ran out of memory")
            return await self._run_in(await Child.start(self.memory_limit), function, timeout)

    async def _run_in(self, child: Child, function: Callable[[], T], timeout: float) -> T:
        try:
            async with asyncio.timeout(timeout):
                reply = await child.call(Call(function))
        except TimeoutError:
            self._discard(child)
            raise ProcessingTimeout(
                f"Processing the file took longer than {timeout:.0f} s."
            ) from None
        except (asyncio.IncompleteReadError, ConnectionError):
            raise await self._died(child) from None
        except BaseException:
            self._discard(child)
            raise
        result: T = self._outcome(child, reply)
        return result

    def _outcome(self, child: Child, reply: Reply) -> Any:
        if reply.outcome == "memory":
            self._discard(child)
            raise self._over_limit()
        self._release(child)
        if reply.outcome == "error":
            raise reply.value
        return reply.value

    async def _died(self, child: Child) -> ResourceLimit:
        self._discard(child)
        code = await child.process.wait()
        logger.warning("an isolated child process ended with code %s", code)
        if code == -signal.SIGSEGV:
            return ResourceLimit("The decoder crashed on this file.")
        return self._over_limit()

    def _over_limit(self) -> ResourceLimit:
        return ResourceLimit(
            "Processing this file needed more than the "
            f"{self.memory_limit / GIB:.1f} GiB of memory a job may use.",
            memory_limit=self.memory_limit,
        )

    async def _checkout(self) -> Child:
        while self._idle:
            child = self._idle.pop()
            if child.alive:
                return child
        return await Child.start(self.memory_limit)

    def _release(self, child: Child) -> None:
        if child.alive and len(self._idle) < MAX_IDLE_CHILDREN and not child.holds_too_much():
            self._idle.append(child)
        else:
            self._discard(child)

    def _discard(self, child: Child) -> None:
        child.kill()
        task = asyncio.ensure_future(child.process.wait())
        self._reaping.add(task)
        task.add_done_callback(self._reaping.discard)


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, ChildPool]] = (
    weakref.WeakKeyDictionary()
)


def pool_for(memory_limit: int) -> ChildPool:
    """The pool of this event loop (a child's pipes belong to the loop that started it)."""
    pools = _pools.setdefault(asyncio.get_running_loop(), {})
    return pools.setdefault(memory_limit, ChildPool(memory_limit))


@dataclass(frozen=True)
class Sandbox:
    memory_limit: int
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Sandbox:
        return cls(settings.job_memory_limit, settings.job_step_timeout)

    async def run(self, function: Callable[[], T]) -> T:
        """``function()`` in a child; cancelling this kills the child."""
        return await pool_for(self.memory_limit).run(function, self.timeout)


DEFAULT_SANDBOX = Sandbox.from_settings(Settings.model_construct())
