"""The SSE response itself: keep-alive comments while idle, leaving, HEAD."""

from __future__ import annotations

import asyncio
from typing import Any

from media_analysis.api.job_stream import KEEPALIVE_FRAME, JobEventResponse
from tests.jobs.conftest import JobEngine
from tests.jobs.helpers import create_jobs


class Client:
    """The ASGI side of one request: what the response sent, and a way to leave."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self._left = asyncio.Event()

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    async def receive(self) -> dict[str, Any]:
        await self._left.wait()
        return {"type": "http.disconnect"}

    def leave(self) -> None:
        self._left.set()

    @property
    def bodies(self) -> list[bytes]:
        return [m["body"] for m in self.sent if m["type"] == "http.response.body"]


async def _respond(job_engine: JobEngine, method: str, client: Client) -> asyncio.Task[None]:
    (job_id,) = await create_jobs(job_engine.session_factory, "test.sleep", [{"seconds": 30}])
    watcher = job_engine.broker.watcher(job_id, 0)
    response = JobEventResponse(watcher, keepalive_seconds=0.2)
    scope = {"type": "http", "method": method}
    return asyncio.create_task(response(scope, client.receive, client.send))


async def test_an_idle_stream_sends_keep_alives_and_ends_when_the_client_leaves(
    job_engine: JobEngine,
) -> None:
    client = Client()
    responding = await _respond(job_engine, "GET", client)
    while client.bodies.count(KEEPALIVE_FRAME) < 2:
        await asyncio.sleep(0.05)
    client.leave()
    await asyncio.wait_for(responding, 10)
    assert client.sent[0]["type"] == "http.response.start"
    assert job_engine.broker.watcher_count == 0
    assert all(m.get("more_body", True) for m in client.sent[1:])


async def test_head_answers_with_the_headers_and_no_stream(job_engine: JobEngine) -> None:
    client = Client()
    await asyncio.wait_for(await _respond(job_engine, "HEAD", client), 10)
    headers = dict(client.sent[0]["headers"])
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert client.bodies == [b""]
    assert client.sent[-1]["more_body"] is False
    assert job_engine.broker.watcher_count == 0
