"""Every error is problem+json with a request id; 500s reveal nothing."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI


async def test_unknown_route_and_wrong_method(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/media/nowhere")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"
    wrong = await client.post("/health")
    assert wrong.status_code == 405
    assert wrong.json()["status"] == 405


async def test_unexpected_errors_are_bare_500_problems_and_logged_with_request_id(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/api/media/explode")
    async def explode() -> None:
        raise RuntimeError("secret path /var/lib/thing and SELECT * FROM jobs")

    with caplog.at_level(logging.ERROR):
        response = await client.get("/api/media/explode", headers={"X-Request-ID": "req-12345678"})
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "internal_error"
    assert body["request_id"] == "req-12345678"
    assert response.headers["x-request-id"] == "req-12345678"
    assert "/var/lib" not in response.text and "SELECT" not in response.text
    assert any("explode" in record.getMessage() for record in caplog.records)


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    first = await client.get("/health")
    second = await client.get("/health")
    assert len(first.headers["x-request-id"]) >= 16
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_validation_messages_read_without_pydantic_prefixes(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/media/video", json={"video_url": "ftp://example.com/a.mp4", "grid": "2y3"}
    )
    assert response.status_code == 422
    messages = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert messages["video_url"] == "only http:// and https:// URLs are accepted"
    assert not any(message.startswith("Value error") for message in messages.values())
    assert "Value error" not in response.json()["detail"]
