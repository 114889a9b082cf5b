"""/metrics in Prometheus text format, checked by parsing it; /status queue and workers."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from media_analysis.app import create_app
from tests.conftest import free_port, make_settings, serving_app


def _samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


async def test_metrics_count_requests_by_route_template(live_client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await live_client.get(f"/api/media/jobs/{uuid.uuid4()}")
    await live_client.get("/health")
    response = await live_client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    requests = {
        (labels["route"], labels["status"]): value
        for labels, value in samples["media_analysis_http_requests_total"]
    }
    assert requests[("/api/media/jobs/{job_id}", "404")] == 3
    assert requests[("/health", "200")] >= 1
    buckets = [
        labels
        for labels, _ in samples["media_analysis_http_request_duration_seconds_bucket"]
        if labels["route"] == "/api/media/jobs/{job_id}"
    ]
    assert buckets
    assert samples["media_analysis_database_up"] == [({}, 1.0)]
    assert "media_analysis_queue_depth" in samples
    assert "media_analysis_queue_oldest_pending_age_seconds" in samples
    assert samples["media_analysis_workers"][0][1] >= 0
    assert any(name.startswith("process_") for name in samples)


async def test_metrics_still_answer_without_a_database(tmp_path: Path) -> None:
    app = create_app(
        make_settings(tmp_path), f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/x"
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/metrics")
    assert response.status_code == 200
    assert _samples(response.text)["media_analysis_database_up"] == [({}, 0.0)]


async def test_status_reports_queue_and_live_workers(live_client: httpx.AsyncClient) -> None:
    for _ in range(50):
        body = (await live_client.get("/api/media/status")).json()
        if body["workers"]["live"] >= 1:
            break
        await asyncio.sleep(0.1)
    assert body["workers"]["live"] >= 1
    assert body["workers"]["in_this_process"] is True
    assert isinstance(body["queue"]["depth"], int) and body["queue"]["depth"] >= 0
    assert body["queue"]["oldest_pending_age_seconds"] >= 0


async def test_metrics_count_the_statements_sent_to_the_database(
    tmp_path: Path, db_url: str
) -> None:
    async with serving_app(tmp_path, db_url, workers=0) as (client, _app):
        before = _samples((await client.get("/metrics")).text)
        for _ in range(3):
            await client.get(f"/api/media/jobs/{uuid.uuid4()}")
        after = _samples((await client.get("/metrics")).text)
    ((_, counted_before),) = before["media_analysis_db_statements_total"]
    ((_, counted_after),) = after["media_analysis_db_statements_total"]
    # Each job lookup is one statement; the second scrape adds its own gauges' queries.
    assert counted_after >= counted_before + 3


async def test_metrics_need_the_token_or_a_key_and_read_the_database_once_per_interval(
    tmp_path: Path, db_url: str
) -> None:
    settings = make_settings(tmp_path, api_key="client-key-1234567", metrics_token="scrape-me-123")
    app = create_app(settings, db_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for headers in ({}, {"X-API-Key": "client-key-1234567"}, {"X-API-Key": "wrong"}):
                refused = await client.get("/metrics", headers=headers)
                assert refused.status_code == 401
                assert refused.headers["content-type"] == "application/problem+json"
            scrapes = [
                client.get("/metrics", headers={"Authorization": "Bearer scrape-me-123"})
                for _ in range(20)
            ]
            answers = await asyncio.gather(*scrapes)
    assert {answer.status_code for answer in answers} == {200}
    assert all("media_analysis_queue_depth" in answer.text for answer in answers)
    assert app.state.telemetry.database_reads == 1


async def test_without_a_metrics_token_an_api_key_opens_metrics(
    tmp_path: Path, db_url: str
) -> None:
    app = create_app(make_settings(tmp_path, api_key="client-key-1234567"), db_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get("/metrics")).status_code == 401
            allowed = await client.get("/metrics", headers={"X-API-Key": "client-key-1234567"})
            assert allowed.status_code == 200
