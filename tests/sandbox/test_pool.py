"""Work in a memory-limited child: results, the caller's errors, limits, cancel, timeout."""

from __future__ import annotations

import asyncio
import functools
import os

import psutil
import pytest

from media_analysis.errors import InvalidMedia, ProcessingTimeout, ResourceLimit
from media_analysis.sandbox.pool import Sandbox
from tests.sandbox import tasks

MIB = 1024 * 1024
SANDBOX = Sandbox(memory_limit=256 * MIB, timeout=30)


async def test_a_call_runs_in_another_process_which_is_kept_warm() -> None:
    first = await SANDBOX.run(tasks.pid_of_child)
    second = await SANDBOX.run(tasks.pid_of_child)
    assert first != os.getpid()
    assert first == second


async def test_the_callers_errors_come_back_as_themselves() -> None:
    with pytest.raises(InvalidMedia) as raised:
        await SANDBOX.run(tasks.refuse)
    assert raised.value.code == "invalid_media"
    assert raised.value.extra["pid"] == await SANDBOX.run(tasks.pid_of_child)


async def test_work_over_the_memory_limit_fails_alone() -> None:
    before = psutil.Process().memory_info().rss
    assert await SANDBOX.run(functools.partial(tasks.allocate, 64)) == 64 * MIB
    healthy = await SANDBOX.run(tasks.pid_of_child)
    with pytest.raises(ResourceLimit) as raised:
        await SANDBOX.run(functools.partial(tasks.allocate, 512))
    assert raised.value.code == "resource_limit"
    await _gone(healthy)
    assert psutil.Process().memory_info().rss - before < 50 * MIB
    assert await SANDBOX.run(tasks.pid_of_child) != healthy


async def test_cancelling_kills_the_child() -> None:
    pid = await SANDBOX.run(tasks.pid_of_child)
    task = asyncio.create_task(SANDBOX.run(functools.partial(tasks.sleep_then_pid, 60)))
    await asyncio.sleep(0.5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await _gone(pid)


async def test_a_call_over_its_time_is_stopped() -> None:
    # Warm the child with a generous limit: on a busy machine its first call may be slow.
    pid = await Sandbox(memory_limit=256 * MIB, timeout=120).run(tasks.pid_of_child)
    quick = Sandbox(memory_limit=256 * MIB, timeout=1)
    with pytest.raises(ProcessingTimeout):
        await quick.run(functools.partial(tasks.sleep_then_pid, 60))
    await _gone(pid)


async def test_a_child_that_dies_fails_the_call_with_resource_limit() -> None:
    with pytest.raises(ResourceLimit):
        await SANDBOX.run(tasks.die)
    assert await SANDBOX.run(tasks.pid_of_child) > 0


async def _gone(pid: int) -> None:
    for _ in range(50):
        try:
            if psutil.Process(pid).status() == "zombie":
                return
        except psutil.NoSuchProcess:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"child {pid} still running")


async def test_what_a_warm_child_holds_never_fails_the_next_file() -> None:
    sandbox = Sandbox(memory_limit=256 * MIB, timeout=60)
    warm = await sandbox.run(functools.partial(tasks.hoard, 100))
    assert await sandbox.run(tasks.pid_of_child) == warm
    # 100 MiB held + 150 MiB needed exceeds the limit in the warm child, not in a fresh one.
    assert await sandbox.run(functools.partial(tasks.allocate, 150)) == 150 * MIB
    assert await sandbox.run(tasks.pid_of_child) != warm
