"""Callbacks and subscriptions through the API, verified by a real receiver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import serving_app
from tests.webhooks.helpers import SECRET, pdf_bytes, webhook_settings
from tests.webhooks.receiver import Receiver


async def _submit_pdf(client: httpx.AsyncClient, **fields: str) -> dict[str, Any]:
    response = await client.post(
        "/api/media/documents?wait=60",
        files={"file": ("crazyones.pdf", pdf_bytes())},
        data=fields,
    )
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


async def _deliveries(client: httpx.AsyncClient, job_id: str, status: str) -> list[Any]:
    for _ in range(300):
        found: list[Any] = (await client.get(f"/api/media/jobs/{job_id}/deliveries")).json()
        if found and all(d["status"] == status for d in found):
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"deliveries of {job_id} never became {status}: {found}")


async def test_a_submissions_callback_gets_the_signed_job_as_the_api_shows_it(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    receiver = serve(Receiver(SECRET))
    async with serving_app(tmp_path, db_url, **webhook_settings()) as (client, _app):
        job = await _submit_pdf(client, callback_url=receiver.url)
        (delivery,) = await _deliveries(client, job["id"], "delivered")
        shown = (await client.get(f"/api/media/jobs/{job['id']}")).json()
    (payload,) = receiver.delivered_payloads()
    assert payload["type"] == "job.completed"
    assert payload["data"] == shown
    assert "crazy ones" in str(payload["data"]["result"]["analysis_result"]).lower()
    assert receiver.received[0].headers["webhook-id"] == delivery["webhook_id"]
    assert delivery["target"] == "webhook" and delivery["event_type"] == "job.completed"
    (attempt,) = delivery["attempts"]
    assert attempt["status_code"] == 204 and attempt["error"] is None


async def test_a_callback_to_a_private_address_is_refused_and_makes_no_job(
    tmp_path: Path, db_url: str
) -> None:
    settings = webhook_settings(allow_private_urls=False)
    async with serving_app(tmp_path, db_url, workers=0, **settings) as (client, _app):
        before = (await client.get("/api/media/jobs?limit=200")).json()["items"]
        response = await client.post(
            "/api/media/documents",
            json={
                "document_url": "https://example.com/report.pdf",
                "callback_url": "http://127.0.0.1:9/hook",
            },
        )
        after = (await client.get("/api/media/jobs?limit=200")).json()["items"]
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unsafe_url"
    assert "callback URL" in response.json()["detail"]
    assert len(after) == len(before)


async def test_a_bad_event_name_is_a_validation_error(tmp_path: Path, db_url: str) -> None:
    async with serving_app(tmp_path, db_url, workers=0, **webhook_settings()) as (client, _):
        response = await client.post(
            "/api/media/documents",
            json={
                "document_url": "https://example.com/report.pdf",
                "callback_url": "https://example.com/hook",
                "callback_events": ["job.finished"],
            },
        )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["callback_events.0"]


async def test_a_subscription_gets_every_job_signed_with_its_own_secret(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    async with serving_app(tmp_path, db_url, **webhook_settings()) as (client, _app):
        receiver = serve(Receiver(""))
        created = await client.post(
            "/api/media/webhooks",
            json={"url": "http://127.0.0.1:1/placeholder", "events": ["job.completed"]},
        )
        assert created.status_code == 201, created.text
        await client.delete(f"/api/media/webhooks/{created.json()['id']}")

        created = await client.post(
            "/api/media/webhooks", json={"url": receiver.url, "description": "CRM"}
        )
        subscription = created.json()
        receiver.secret = subscription["secret"]
        listed = (await client.get("/api/media/webhooks")).json()
        job = await _submit_pdf(client)
        (delivery,) = await _deliveries(client, job["id"], "delivered")
        replayed = await client.post(f"/api/media/webhooks/deliveries/{delivery['id']}/retry")
        (again,) = await _deliveries(client, job["id"], "delivered")
        deleted = await client.delete(f"/api/media/webhooks/{subscription['id']}")
        gone = await client.get(f"/api/media/webhooks/{subscription['id']}")
    assert subscription["secret"].startswith("whsec_") and subscription["secret"] != SECRET
    assert [s["id"] for s in listed] == [subscription["id"]]
    assert "secret" not in listed[0]
    assert listed[0]["events"] == ["job.completed", "job.failed", "job.cancelled"]
    assert delivery["subscription_id"] == subscription["id"]
    assert replayed.status_code == 202
    assert [a["number"] for a in again["attempts"]] == [1, 2]
    payloads = receiver.delivered_payloads()
    assert len(payloads) == 2 and payloads[0]["data"]["id"] == job["id"]
    assert {r.webhook_id for r in receiver.received} == {delivery["webhook_id"]}
    assert deleted.status_code == 204 and gone.status_code == 404


async def test_a_re_analysis_can_carry_its_own_callback(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    receiver = serve(Receiver(SECRET))
    async with serving_app(tmp_path, db_url, **webhook_settings()) as (client, _app):
        source = await _submit_pdf(client)
        asked = await client.post(
            f"/api/media/jobs/{source['id']}/analyze?wait=60",
            json={"prompt": "Who are the crazy ones?", "callback_url": receiver.url},
        )
        assert asked.status_code == 200, asked.text
        (delivery,) = await _deliveries(client, asked.json()["id"], "delivered")
        source_deliveries = (await client.get(f"/api/media/jobs/{source['id']}/deliveries")).json()
        assert source_deliveries == []
    (payload,) = receiver.delivered_payloads()
    assert payload["type"] == "job.completed"
    assert payload["data"]["id"] == asked.json()["id"]
    assert payload["data"]["job_type"] == "reanalyze"
    assert delivery["event_type"] == "job.completed"
