"""The child's side: cap its own memory, then run calls until the pipe closes or idles.

Started as ``python -m media_analysis.sandbox.child MEMORY_LIMIT_BYTES``. Replies go to
a private copy of stdout; fd 1 itself is pointed at stderr so that a library printing
a warning cannot corrupt a reply.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import resource
import select
import sys
from typing import BinaryIO

from media_analysis.sandbox.messages import HEADER, Call, Reply, encode, read_call

IDLE_EXIT_SECONDS = 300.0
# C++ libraries (CTranslate2, ONNX Runtime) report a failed allocation as a RuntimeError.
ALLOCATION_FAILURE = re.compile(
    r"bad_?alloc|failed to allocate|allocation fail|out of memory|cannot allocate", re.IGNORECASE
)

logger = logging.getLogger("media_analysis.sandbox.child")


def limit_memory(limit_bytes: int) -> None:
    """Cap the data segment: heap, anonymous mappings and thread stacks, not mapped code.

    ``RLIMIT_AS`` would also count the address space that ONNX Runtime and glibc reserve
    without touching, which is several times what they use.
    """
    resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))


def answer(call: Call) -> bytes:
    try:
        return encode(Reply("ok", call.function()))
    except MemoryError:
        return encode(Reply("memory"))
    except Exception as exc:
        if ALLOCATION_FAILURE.search(str(exc)):
            return encode(Reply("memory"))
        return _error_reply(exc)


def _error_reply(exc: Exception) -> bytes:
    """The exception itself when it survives the trip, else its description."""
    try:
        encoded = encode(Reply("error", exc))
        pickle.loads(encoded[HEADER.size :])  # noqa: S301 (our own bytes)
    except MemoryError:
        return encode(Reply("memory"))
    except Exception:
        return encode(Reply("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    return encoded


def has_call_within(stream: BinaryIO, seconds: float) -> bool:
    readable, _, _ = select.select([stream], [], [], seconds)
    return bool(readable)


def serve(calls: BinaryIO, replies: BinaryIO) -> None:
    while has_call_within(calls, IDLE_EXIT_SECONDS):
        call = read_call(calls)
        if call is None:
            return
        replies.write(answer(call))
        replies.flush()


def main() -> None:
    limit_memory(int(sys.argv[1]))
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        serve(sys.stdin.buffer, replies)
    except MemoryError:
        # Out of memory outside a call (reading an oversized request): the service sees
        # the pipe close and reports the limit.
        sys.exit(1)


if __name__ == "__main__":
    main()
