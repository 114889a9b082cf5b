"""The SSE response of one job's watcher, ended at once when the watcher is cut off."""

from __future__ import annotations

from typing import Any

import anyio
from sse_starlette import EventSourceResponse
from starlette.types import Receive, Scope, Send

from media_analysis.jobs.stream import CUT_OFF_FRAME, sse_frames
from media_analysis.jobs.watcher import Watcher

# A client cut off for falling behind gets this long to take the retry hint.
CUT_OFF_SEND_SECONDS = 30.0
LAST_MESSAGE = {"type": "http.response.body", "body": CUT_OFF_FRAME, "more_body": False}


class JobEventResponse(EventSourceResponse):
    def __init__(self, watcher: Watcher, **options: Any) -> None:
        super().__init__(sse_frames(watcher), **options)
        self._cut_off = watcher.cut_off

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(self._cancel_when_cut_off, group.cancel_scope)
            await super().__call__(scope, receive, send)
            group.cancel_scope.cancel()
        if self._cut_off.is_set():
            with anyio.move_on_after(CUT_OFF_SEND_SECONDS):
                await send(LAST_MESSAGE)

    async def _cancel_when_cut_off(self, scope: anyio.CancelScope) -> None:
        await self._cut_off.wait()
        scope.cancel()
