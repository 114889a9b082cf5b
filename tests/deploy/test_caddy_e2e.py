"""The real Caddyfile in front of a real `media-analysis serve`, over HTTPS on loopback."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from media_analysis.db import migrate
from media_analysis.db.models import ClientSession
from tests.deploy.caddy import Caddy, running_caddy
from tests.e2e.server import running_server, service_env
from tests.jobs.helpers import create_jobs, factory_for, get_job
from tests.support.sse import Event, read_events

API_KEY = "deploy-e2e-key-0123456789"
MiB = 1024 * 1024
CLIENT_ADDRESS = "127.0.0.2"  # a loopback address other than Caddy's own 127.0.0.1
SPOOFED = "203.0.113.50"


@dataclass(frozen=True)
class Stack:
    caddy: Caddy
    app_url: str
    db_url: str

    def client(self, local_address: str | None = None) -> httpx.AsyncClient:
        transport = httpx.AsyncHTTPTransport(verify=self.caddy.tls, local_address=local_address)
        return httpx.AsyncClient(
            base_url=self.caddy.base_url,
            transport=transport,
            headers={"X-API-Key": API_KEY},
            timeout=30,
        )


@pytest.fixture
def stack(tmp_path: Path, fresh_db: str) -> Iterator[Stack]:
    migrate.upgrade(fresh_db)
    env = service_env(
        tmp_path,
        DATABASE_URL=fresh_db,
        MEDIA_ANALYSIS_API_KEY=API_KEY,
        MEDIA_ANALYSIS_MAX_UPLOAD_BYTES=str(MiB),
        MEDIA_ANALYSIS_HANDLER_MODULES="tests.jobs.handlers",
    )
    with running_server(env, "--workers", "1", "--no-migrate") as app_url:
        upstream = app_url.removeprefix("http://")
        # Caddy's cap sits above the app's, so the app answers with its problem+json.
        with running_caddy(tmp_path, upstream, max_body="4MiB") as caddy:
            yield Stack(caddy, app_url, fresh_db)


async def test_job_events_reach_the_client_while_the_job_runs(stack: Stack) -> None:
    factory = factory_for(stack.db_url)
    # One step a second: well apart from the server's own 0.5 s progress throttle.
    [job_id] = await create_jobs(factory, "test.sleep", [{"seconds": 4, "steps": 4}])
    received: list[tuple[float, Event]] = []
    async with (
        stack.client() as client,
        client.stream("GET", f"/api/media/jobs/{job_id}/events") as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in response.headers
        async for event in read_events(response):
            received.append((time.time(), event))

    kinds = [event.event for _, event in received]
    assert kinds[-1] == "completed" and kinds.count("completed") == 1
    assert set(kinds[:-1]) == {"progress"} and len(kinds) >= 5
    arrivals = [moment for moment, _ in received]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert sum(gap > 0.5 for gap in gaps) >= 3, f"events came in bursts: {gaps}"
    assert arrivals[-1] - arrivals[0] > 2.0
    finished = (await get_job(factory, job_id)).completed_at
    assert finished is not None
    before_the_end = [t for t, event in received[:-1] if t < finished.timestamp() - 0.25]
    assert len(before_the_end) >= 3, "progress only arrived once the job had ended"


async def test_answers_carry_security_headers_and_json_is_compressed(stack: Stack) -> None:
    async with stack.client() as client:
        response = await client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "paths" in response.json()
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "server" not in response.headers


async def test_metrics_are_not_published_through_the_proxy(stack: Stack) -> None:
    async with stack.client() as client:
        assert (await client.get("/metrics")).status_code == 404
    async with httpx.AsyncClient() as direct:
        assert (await direct.get(f"{stack.app_url}/metrics")).status_code in (200, 401)


async def test_an_upload_over_the_cap_is_refused_with_413(stack: Stack) -> None:
    async with stack.client() as client:
        for size in (3 * MiB, 5 * MiB):  # over the app's cap; also over Caddy's
            files = {"file": ("clip.mp4", os.urandom(size), "video/mp4")}
            response = await client.post(
                "/api/media/video/extract-frames", files=files, data={"fps": "1"}
            )
            assert response.status_code == 413, response.text
            if response.headers.get("content-type"):  # the app's answer, not Caddy's bare 413
                assert response.headers["content-type"].startswith("application/problem+json")
                problem = response.json()
                assert (problem["status"], problem["code"]) == (413, "payload_too_large")


async def test_the_client_address_caddy_saw_is_recorded_and_not_a_spoofed_one(
    stack: Stack,
) -> None:
    via_caddy, direct = f"via-caddy/{uuid.uuid4()}", f"direct/{uuid.uuid4()}"
    async with stack.client(local_address=CLIENT_ADDRESS) as client:
        headers = {"User-Agent": via_caddy, "X-Forwarded-For": SPOOFED}
        assert (await client.get("/api/media/jobs", headers=headers)).status_code == 200
        # Straight to the app from an address it does not trust as a proxy.
        headers = {"User-Agent": direct, "X-Forwarded-For": SPOOFED}
        response = await client.get(f"{stack.app_url}/api/media/jobs", headers=headers)
        assert response.status_code == 200

    recorded = await _session_addresses(stack.db_url, {via_caddy, direct})
    assert recorded == {via_caddy: IPv4Address(CLIENT_ADDRESS), direct: IPv4Address(CLIENT_ADDRESS)}
    assert API_KEY not in stack.caddy.log.read_text()


async def _session_addresses(db_url: str, user_agents: set[str]) -> dict[str, object]:
    """Sessions are written in the background every few seconds: poll for them."""
    factory = factory_for(db_url)
    query = select(ClientSession.user_agent, ClientSession.ip_address).where(
        ClientSession.user_agent.in_(user_agents)
    )
    deadline = time.monotonic() + 15
    while True:
        async with factory() as session:
            rows = {agent: address for agent, address in (await session.execute(query)).all()}
        if len(rows) == len(user_agents) or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.25)
