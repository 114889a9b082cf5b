"""The OpenAPI document: stable operation ids, every error as problem+json."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from media_analysis.api.openapi_document import with_problem_responses

PROBLEM_JSON = "application/problem+json"
PROBLEM = {"$ref": "#/components/schemas/Problem"}
SUBMISSIONS = (
    "/api/media/analyze",
    "/api/media/video",
    "/api/media/video/extract-frames",
    "/api/media/video/contact-sheet",
    "/api/media/audio",
    "/api/media/audio/transcribe",
    "/api/media/documents",
    "/api/media/benchmark",
)


@pytest.fixture
async def spec(client: httpx.AsyncClient) -> dict[str, Any]:
    document: dict[str, Any] = (await client.get("/openapi.json")).json()
    return document


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_has_a_readable_unique_id(spec: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in _operations(spec)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", op_id) for op_id in ids), ids
    by_route = {(path, method): op["operationId"] for path, method, op in _operations(spec)}
    assert by_route[("/api/media/video", "post")] == "submit_video"
    assert by_route[("/api/media/jobs/{job_id}", "get")] == "get_job"
    assert by_route[("/api/media/jobs", "get")] == "list_jobs"
    assert by_route[("/api/media/jobs/{job_id}/analyze", "post")] == "reanalyze_job"


def test_every_client_error_is_a_documented_problem(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status", "detail", "code"}
    assert {"errors", "request_id"} <= set(schemas["Problem"]["properties"])
    for path, method, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert response["content"] == {PROBLEM_JSON: {"schema": PROBLEM}}, (path, status)
        if "parameters" in operation or "requestBody" in operation:
            assert {"400", "422"} <= set(operation["responses"]), (method, path)
        if "requestBody" in operation:
            assert "413" in operation["responses"], (method, path)
        if path.startswith("/api/media/"):
            assert "401" in operation["responses"], (method, path)
        if "{job_id}" in path or "{asset_id}" in path:
            assert "404" in operation["responses"], (method, path)


def test_submissions_document_idempotency_conflicts_and_content_types(
    spec: dict[str, Any],
) -> None:
    for path in SUBMISSIONS:
        operation = spec["paths"][path]["post"]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["Idempotency-Key"]["schema"]["maxLength"] == 200
        assert {"200", "202", "409", "413", "415"} <= set(operation["responses"]), path
        assert set(operation["requestBody"]["content"]) == {
            "application/json",
            "multipart/form-data",
        }


def test_downloads_document_ranges_and_revalidation(spec: dict[str, Any]) -> None:
    responses = spec["paths"]["/api/media/assets/{asset_id}/content"]["get"]["responses"]
    assert {"200", "206", "304", "404", "416"} <= set(responses)


def test_a_client_error_described_only_in_words_is_documented_as_a_problem() -> None:
    document = {
        "paths": {
            "/api/media/things/{id}": {
                "get": {"responses": {"200": {"description": "ok"}, "404": {"description": "No"}}}
            }
        }
    }
    responses = with_problem_responses(document)["paths"]["/api/media/things/{id}"]["get"][
        "responses"
    ]
    assert responses["404"] == {"description": "No", "content": {PROBLEM_JSON: {"schema": PROBLEM}}}
    assert responses["401"]["content"] == {PROBLEM_JSON: {"schema": PROBLEM}}
    assert list(responses) == ["200", "401", "404"]
