"""The text/event-stream response of one job's watcher.

Lean on purpose: a thousand of these share one process, and each event wakes only the
task that sends it (no per-send timers or cancel scopes). Two idle tasks per stream
notice a client that leaves and send keep-alive comments.
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from media_analysis.jobs.stream import CUT_OFF_FRAME, sse_frame
from media_analysis.jobs.watcher import Watcher

KEEPALIVE_FRAME = b": ping\r\n\r\n"
# A client cut off for falling behind gets this long to take the retry hint.
CUT_OFF_SEND_SECONDS = 30.0
HEADERS = {"Cache-Control": "no-store", "Connection": "keep-alive", "X-Accel-Buffering": "no"}


def _body(chunk: bytes, *, more: bool = True) -> Message:
    return {"type": "http.response.body", "body": chunk, "more_body": more}


class JobEventResponse(Response):
    media_type = "text/event-stream"

    def __init__(self, watcher: Watcher, keepalive_seconds: float) -> None:
        # No body and so no Content-Length: the stream is chunked until the job ends.
        self.status_code = 200
        self.background = None
        self.init_headers(HEADERS)
        self._watcher = watcher
        self._keepalive_seconds = keepalive_seconds
        self._quiet = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
        await send(start)
        if scope["method"] == "HEAD":
            await send(_body(b"", more=False))
            return
        sender = asyncio.create_task(self._send_events(send))
        left = asyncio.create_task(_until_disconnect(receive))
        pinger = asyncio.create_task(self._keep_alive(send))
        try:
            await asyncio.wait(
                {sender, left, self._watcher.cut_off}, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in (sender, left, pinger):
                task.cancel()
            await asyncio.wait({sender, left, pinger})
        if left.done() and not left.cancelled():
            return
        failure = None if sender.cancelled() else sender.exception()
        if failure is not None:
            raise failure
        await self._finish(send)

    async def _send_events(self, send: Send) -> None:
        async with contextlib.aclosing(self._watcher.events()) as events:
            async for event in events:
                self._quiet = False
                await send(_body(sse_frame(event)))

    async def _keep_alive(self, send: Send) -> None:
        while True:
            await asyncio.sleep(self._keepalive_seconds)
            if self._quiet:
                await send(_body(KEEPALIVE_FRAME))
            self._quiet = True

    async def _finish(self, send: Send) -> None:
        last = CUT_OFF_FRAME if self._watcher.cut_off.done() else b""
        # A client that does not take even this is left to the server to drop.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CUT_OFF_SEND_SECONDS):
                await send(_body(last, more=False))


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
