"""Service endpoints: liveness, readiness, status, config and the docs."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from media_analysis.app import create_app
from tests.conftest import free_port, make_settings


async def test_liveness_and_readiness_report_ok(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/api/media/health")
    assert ready.status_code == 200
    body = ready.json()
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["ffmpeg"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"
    assert body["checks"]["providers"]["transcription"]["local"] == {"configured": True}


async def test_without_a_database_liveness_stays_up_and_readiness_fails(tmp_path: Path) -> None:
    dead_url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing"
    app = create_app(make_settings(tmp_path), dead_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get("/health")).status_code == 200
            ready = await client.get("/api/media/health")
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"]["status"] == "error"
            assert "127.0.0.1" not in ready.text


async def test_status_counts_jobs_and_reports_resources(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/media/status")).json()
    assert set(body["jobs"]) == {"pending", "processing", "completed", "failed", "cancelled"}
    assert body["system"]["memory"]["total_bytes"] > 0
    assert body["system"]["disk"]["total_bytes"] > 0
    assert body["uptime_seconds"] >= 0


async def test_config_shows_providers_but_never_secrets(tmp_path: Path, db_url: str) -> None:
    secrets = {
        "groq_api_key": "gsk-very-secret-1234",
        "minimax_api_key": "mm-very-secret-5678",
        "api_key": "client-key-abcdef",
    }
    app: FastAPI = create_app(make_settings(tmp_path, **secrets), db_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get(
                "/api/media/config", headers={"X-API-Key": "client-key-abcdef"}
            )
    assert response.status_code == 200
    for secret in secrets.values():
        assert secret not in response.text
    providers = response.json()["providers"]
    assert providers["transcription"]["groq"] == {"configured": True}
    assert providers["transcription"]["openai"] == {"configured": False}
    assert providers["vision"]["minimax"] == {"configured": True}
    assert response.json()["auth_required"] is True


async def test_openapi_documents_every_schema(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "/api/media/health" in spec["paths"]
    for name in ("Readiness", "ServiceStatus", "PublicConfig"):
        assert name in spec["components"]["schemas"]
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/redoc")).status_code == 200
