"""What the service and a child send each other: length-prefixed pickles.

Both ends are this package, started from the same installation; the child only ever
sends back what its own code returned, so unpickling its replies is as safe as
importing the code that made them.
"""

from __future__ import annotations

import asyncio
import pickle
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal

HEADER = struct.Struct(">Q")
Outcome = Literal["ok", "error", "memory"]


@dataclass(frozen=True)
class Call:
    function: Callable[[], Any]
    """A picklable callable: a module-level function or a ``functools.partial`` of one."""


@dataclass(frozen=True)
class Reply:
    outcome: Outcome
    value: Any = None


def encode(message: Call | Reply) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


async def read_reply(stream: asyncio.StreamReader) -> Reply:
    (size,) = HEADER.unpack(await stream.readexactly(HEADER.size))
    reply = pickle.loads(await stream.readexactly(size))  # noqa: S301 (see the module docstring)
    assert isinstance(reply, Reply)
    return reply


def read_call(stream: BinaryIO) -> Call | None:
    """The next call, or ``None`` once the service has closed the pipe."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    call = pickle.loads(stream.read(size))  # noqa: S301 (see the module docstring)
    assert isinstance(call, Call)
    return call
