"""SSE progress across processes: live delivery, Last-Event-ID replay, closing."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from media_analysis.jobs.broker import EventBroker
from tests.e2e.server import running_server, service_env
from tests.jobs.conftest import JobEngine
from tests.jobs.helpers import FINISHED, create_jobs, factory_for, get_job, wait_for_status
from tests.support.sse import Event, read_events


async def _collect(
    client: httpx.AsyncClient, url: str, *, last_event_id: str | None = None, limit: int = 1000
) -> list[Event]:
    headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
    events: list[Event] = []
    async with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        async for event in read_events(response):
            events.append(event)
            if len(events) >= limit:
                break
    return events


async def test_reconnecting_with_last_event_id_gets_exactly_the_missed_events(
    tmp_path: Path, db_url: str
) -> None:
    env = service_env(
        tmp_path, DATABASE_URL=db_url, MEDIA_ANALYSIS_HANDLER_MODULES="tests.jobs.handlers"
    )
    factory = factory_for(db_url)
    with running_server(env, "--workers", "1") as base_url:
        (job_id,) = await create_jobs(factory, "test.sleep", [{"seconds": 4, "steps": 8}])
        url = f"{base_url}/api/media/jobs/{job_id}/events"
        async with httpx.AsyncClient(timeout=30) as client:
            first = await _collect(client, url, limit=2)
            status_while_streaming = (await get_job(factory, job_id)).status
            rest = await _collect(client, url, last_event_id=first[-1].id)
            await wait_for_status(factory, [job_id], FINISHED, timeout=30)
            replay = await _collect(client, url)
    assert status_while_streaming == "processing"
    assert [e.event for e in first] == ["progress", "progress"]
    sequence = [int(e.id or 0) for e in first + rest]
    assert sequence == list(range(1, len(sequence) + 1))
    assert rest[-1].event == "completed"
    assert [e.event for e in rest].count("completed") == 1
    assert [(e.id, e.event) for e in replay] == [(e.id, e.event) for e in first + rest]
    assert {"stage", "percent", "message"} <= set(first[0].data)


async def test_unknown_job_events_are_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/api/media/jobs/{uuid.uuid4()}/events")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_closed_stream_releases_its_watch(job_engine: JobEngine) -> None:
    factory = job_engine.session_factory
    broker: EventBroker = job_engine.broker
    (job_id,) = await create_jobs(factory, "test.sleep", [{"seconds": 3, "steps": 6}])
    stream = broker.watcher(job_id, 0).events()
    first = await anext(stream)
    assert first.event_type == "progress"
    assert broker.watcher_count == 1
    await stream.aclose()
    assert broker.watcher_count == 0
    await wait_for_status(factory, [job_id], FINISHED, timeout=20)
