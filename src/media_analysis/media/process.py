"""Bounded async subprocesses: a timeout, a kill on cancel, stderr kept for errors."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from media_analysis.errors import ProcessingTimeout

STDERR_TAIL_BYTES = 4000
MAX_LINE_BYTES = 65536

LineCallback = Callable[[str], Awaitable[None]]
StreamCallback = Callable[[asyncio.StreamReader], Awaitable[None]]


@dataclass(frozen=True)
class ProcessResult:
    returncode: int
    stdout: bytes
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


async def run_process(
    argv: Sequence[str],
    *,
    timeout: float,
    on_stdout_line: LineCallback | None = None,
    on_stderr_line: LineCallback | None = None,
    on_stdout: StreamCallback | None = None,
    capture_stdout: bool = True,
    env: Mapping[str, str] | None = None,
) -> ProcessResult:
    """Run ``argv`` (never through a shell) and wait at most ``timeout`` seconds.

    With ``on_stdout_line`` each stdout line is handed over as it arrives (used for
    ffmpeg's ``-progress pipe:1``) instead of being collected; ``on_stderr_line``
    sees every stderr line (e.g. ``showinfo`` output) while only the tail is kept.
    ``on_stdout`` gets the stdout stream itself (binary output such as images) and
    must read it to the end. ``env`` replaces the environment the program inherits.
    Cancelling the caller kills the process before the cancellation propagates.
    """
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        async with asyncio.timeout(timeout):
            stdout, stderr = await asyncio.gather(
                _read_stdout(proc, on_stdout_line, on_stdout, capture_stdout),
                _read_tail(proc.stderr, on_stderr_line),
            )
            returncode = await proc.wait()
    except TimeoutError:
        await _kill(proc)
        raise ProcessingTimeout(
            f"{_program(argv)} did not finish within {timeout:.0f} seconds"
        ) from None
    except BaseException:
        await _kill(proc)
        raise
    return ProcessResult(returncode, stdout, stderr)


async def _read_stdout(
    proc: asyncio.subprocess.Process,
    on_line: LineCallback | None,
    on_stream: StreamCallback | None,
    capture: bool,
) -> bytes:
    assert proc.stdout is not None
    if on_stream is not None:
        await on_stream(proc.stdout)
        return b""
    if on_line is None:
        data = await proc.stdout.read()
        return data if capture else b""
    async for raw in proc.stdout:
        await on_line(raw.decode("utf-8", "replace").rstrip("\r\n"))
    return b""


async def _read_tail(
    stream: asyncio.StreamReader | None, on_line: LineCallback | None = None
) -> str:
    """Keep only the last few KB of stderr: enough for an error, bounded in memory."""
    assert stream is not None
    if on_line is not None:
        return await _read_tail_by_line(stream, on_line)
    tail = b""
    while chunk := await stream.read(65536):
        tail = (tail + chunk)[-STDERR_TAIL_BYTES:]
    return tail.decode("utf-8", "replace")


async def _read_tail_by_line(stream: asyncio.StreamReader, on_line: LineCallback) -> str:
    """Like ``_read_tail`` but hands over each line; an overlong line is cut, not fatal."""
    tail = pending = b""
    while chunk := await stream.read(65536):
        tail = (tail + chunk)[-STDERR_TAIL_BYTES:]
        *lines, pending = (pending + chunk).split(b"\n")
        pending = pending[-MAX_LINE_BYTES:]
        for raw in lines:
            await on_line(raw.decode("utf-8", "replace").rstrip("\r"))
    if pending:
        await on_line(pending.decode("utf-8", "replace").rstrip("\r"))
    return tail.decode("utf-8", "replace")


async def _kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        with contextlib.suppress(Exception):
            await asyncio.shield(proc.wait())


def _program(argv: Sequence[str]) -> str:
    return argv[0].rsplit("/", 1)[-1]


def last_error_line(stderr: str) -> str:
    """The most telling line of an ffmpeg/ffprobe stderr, without local paths."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"
