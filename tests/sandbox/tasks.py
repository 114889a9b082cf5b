"""Functions the tests run in a child process (they must be importable there)."""

from __future__ import annotations

import os
import time

from media_analysis.errors import InvalidMedia


def pid_of_child() -> int:
    return os.getpid()


def allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def refuse() -> None:
    raise InvalidMedia("not a picture", pid=os.getpid())


def sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def die() -> None:
    os.kill(os.getpid(), 9)


_HOARD: list[bytearray] = []


def hoard(megabytes: int) -> int:
    """Keep memory in the child after the call, as a loaded model would."""
    _HOARD.append(bytearray(megabytes * 1024 * 1024))
    return os.getpid()
