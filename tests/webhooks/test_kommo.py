"""Job outcomes as notes on Kommo leads, through the outbox, against a wire-exact fake."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import serving_app
from tests.fakes.kommo import FakeKommo
from tests.jobs.helpers import factory_for
from tests.webhooks.helpers import echo_job_with_callback, wait_for_deliveries, webhook_settings
from tests.webhooks.test_api import _deliveries, _submit_pdf

TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.kommoLongLivedToken0123456789"


def _kommo_settings(fake: FakeKommo, token: str = TOKEN, **overrides: Any) -> dict[str, Any]:
    return webhook_settings(
        kommo_subdomain="acme",
        kommo_base_url=fake.base_url,
        kommo_access_token=token,
        domain="media.example.com",
        **overrides,
    )


async def test_a_finished_job_becomes_a_common_note_on_its_lead(
    tmp_path: Path, db_url: str, serve: Callable[[FakeKommo], FakeKommo]
) -> None:
    kommo = serve(FakeKommo(TOKEN, throttle_requests=1, retry_after="1"))
    async with serving_app(tmp_path, db_url, **_kommo_settings(kommo)) as (client, _app):
        job = await _submit_pdf(client, kommo_lead_id="167353")
        (delivery,) = await _deliveries(client, job["id"], "delivered")
        config = (await client.get("/api/media/config")).text
    (note,) = kommo.notes
    assert note.entity_id == 167353 and note.note_type == "common"
    assert "crazyones.pdf" in note.text and "completed" in note.text
    assert f"Answer: {job['result']['analysis_result']['summary']}" in note.text
    assert f"https://media.example.com/api/media/jobs/{job['id']}" in note.text
    first, second = kommo.requests
    assert first["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert second["headers"]["content-type"] == "application/json"
    assert delivery["target"] == "kommo" and delivery["kommo_lead_id"] == 167353
    throttled, accepted = delivery["attempts"]
    assert throttled["status_code"] == 429
    assert throttled["error"] == "HTTP 429 Too Many Requests: Too Many Requests - Too many requests"
    assert accepted["status_code"] == 200 and accepted["error"] is None
    assert TOKEN not in config and '"kommo":{"configured":true}' in config


async def test_a_rejected_token_is_recorded_and_never_shown(
    tmp_path: Path, db_url: str, serve: Callable[[FakeKommo], FakeKommo]
) -> None:
    kommo = serve(FakeKommo(TOKEN))
    wrong = TOKEN[:-4] + "XXXX"
    settings = _kommo_settings(kommo, token=wrong, webhook_retry_schedule="0.2")
    factory = factory_for(db_url)
    async with serving_app(tmp_path, db_url, **settings) as (client, _app):
        job_id = await echo_job_with_callback(factory, None, kommo_lead_id=42)
        await wait_for_deliveries(factory, job_id, {"failed"}, min_attempts=2)
        shown = (await client.get(f"/api/media/jobs/{job_id}/deliveries")).json()
    (delivery,) = shown
    assert [a["status_code"] for a in delivery["attempts"]] == [401, 401]
    assert delivery["attempts"][0]["error"] == "HTTP 401 Unauthorized: Unauthorized - Unauthorized"
    assert wrong not in str(shown) and kommo.notes == []


async def test_kommo_lead_without_kommo_configured_is_refused(tmp_path: Path, db_url: str) -> None:
    async with serving_app(tmp_path, db_url, workers=0, **webhook_settings()) as (client, _):
        response = await client.post(
            "/api/media/documents",
            json={"document_url": "https://example.com/a.pdf", "kommo_lead_id": 7},
        )
    assert response.status_code == 400 and response.json()["code"] == "invalid_callback"
