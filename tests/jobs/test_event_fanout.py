"""SSE against a real `serve` process: many watchers of one job, slow clients, odd ids."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import running_server, service_env
from tests.jobs.helpers import FINISHED, create_jobs, factory_for, wait_for_status
from tests.support.raw_sse import open_raw_stream
from tests.support.sse import read_events

CLIENT_BUFFER = 8


@dataclass
class Server:
    base_url: str
    db_url: str
    log_dir: Path

    def events_url(self, job_id: uuid.UUID) -> str:
        return f"{self.base_url}/api/media/jobs/{job_id}/events"

    def log(self) -> str:
        return "".join(path.read_text() for path in self.log_dir.glob("serve-*.log"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, db_url: str) -> Iterator[Server]:
    tmp_path = tmp_path_factory.mktemp("sse-server")
    env = service_env(
        tmp_path,
        DATABASE_URL=db_url,
        MEDIA_ANALYSIS_HANDLER_MODULES="tests.jobs.handlers",
        MEDIA_ANALYSIS_JOB_POLL_SECONDS="0.5",
        MEDIA_ANALYSIS_SSE_CLIENT_BUFFER=str(CLIENT_BUFFER),
    )
    with running_server(env, "--workers", "1") as base_url:
        yield Server(base_url, db_url, tmp_path)


async def _collect(
    client: httpx.AsyncClient, url: str, last_event_id: str | bytes | None = None
) -> list[tuple[str | None, str]]:
    headers = {} if last_event_id is None else {"Last-Event-ID": last_event_id}
    async with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        return [(event.id, event.event) async for event in read_events(response)]


async def _job_starting_soon(server: Server, job_type: str, **parameters: object) -> uuid.UUID:
    """A job that starts a moment from now, so that streams can attach before its first event."""
    run_after = datetime.now(UTC) + timedelta(seconds=2)
    (job_id,) = await create_jobs(
        factory_for(server.db_url), job_type, [parameters], run_after=run_after
    )
    return job_id


async def test_300_streams_of_one_job_each_see_every_event_in_order(server: Server) -> None:
    job_id = await _job_starting_soon(server, "test.chatty", parts=30, message_bytes=200)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        url = server.events_url(job_id)
        streams = await asyncio.gather(*(_collect(client, url) for _ in range(300)))
        replay = await _collect(client, url)
    assert [event for _, event in replay][-1] == "completed"
    assert [int(id_ or 0) for id_, _ in replay] == list(range(1, len(replay) + 1))
    assert len(replay) == 31
    assert all(stream == replay for stream in streams)


async def test_a_client_that_stops_reading_is_cut_off_without_holding_back_the_others(
    server: Server,
) -> None:
    # Far more bytes than the socket buffers between the server and a reader that
    # takes nothing, so the server's writes to it stall and its queue overflows.
    parts = 120
    job_id = await _job_starting_soon(server, "test.chatty", parts=parts, message_bytes=64 * 1024)
    url = server.events_url(job_id)
    slow = await open_raw_stream(url)
    assert (await slow.read_head()).startswith("HTTP/1.1 200")
    async with httpx.AsyncClient(timeout=60) as client:
        # The slow client reads nothing until this stream has seen the job end.
        fast = await _collect(client, url)
        cut = await slow.read_to_end()
        assert cut.cleanly_ended
        assert "retry: 1000" in cut.text
        assert 0 < len(cut.events) < len(fast)
        assert cut.events == fast[: len(cut.events)]
        rest = await _collect(client, url, last_event_id=cut.events[-1][0])
    assert cut.events + rest == fast
    assert fast[-1][1] == "completed"
    assert len(fast) == parts + 1


async def test_a_finished_job_closes_at_once_when_last_event_id_is_at_or_past_its_end(
    server: Server,
) -> None:
    (job_id,) = await create_jobs(factory_for(server.db_url), "test.sleep", [{"seconds": 0.2}])
    await wait_for_status(factory_for(server.db_url), [job_id], FINISHED, timeout=30)
    # A stream that stayed open would only send keep-alive comments every 15 s.
    timeout = httpx.Timeout(10, read=10)
    async with httpx.AsyncClient(timeout=timeout) as client:
        url = server.events_url(job_id)
        everything = await _collect(client, url)
        last = int(everything[-1][0] or 0)
        for past in (last, last + 1, 2**31 - 1):
            assert await _collect(client, url, last_event_id=str(past)) == []
        assert await _collect(client, url, last_event_id=str(last - 1)) == everything[-1:]


async def test_an_out_of_range_or_malformed_last_event_id_replays_from_the_start(
    server: Server,
) -> None:
    (job_id,) = await create_jobs(factory_for(server.db_url), "test.sleep", [{"seconds": 0.2}])
    await wait_for_status(factory_for(server.db_url), [job_id], FINISHED, timeout=30)
    async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=10)) as client:
        url = server.events_url(job_id)
        everything = await _collect(client, url)
        for odd in ("99999999999999999999", "2147483648", "-3", "abc", "1e3", "٣".encode(), ""):
            assert await _collect(client, url, last_event_id=odd) == everything, repr(odd)
    assert everything[-1][1] == "completed"
    assert "Exception in ASGI application" not in server.log()
    assert "Traceback" not in server.log()
