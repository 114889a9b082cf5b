"""Input the database or the parsers cannot take is a 4xx problem, never a 500."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

PROBLEM_JSON = "application/problem+json"

# Fixed, so that test ids stay the same from one collection to the next.
UNKNOWN_JOB = "00000000-0000-4000-8000-000000000000"
REANALYZE_UNKNOWN_JOB = f"/api/media/jobs/{UNKNOWN_JOB}/analyze"


def _assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    return problem


def _field_errors(response: httpx.Response) -> dict[str, str]:
    problem = _assert_problem(response, 422)
    return {error["field"]: error["message"] for error in problem["errors"]}


URL = "https://example.com/media"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/media/documents", {"document_url": URL, "prompt": "a\x00b"}, "prompt"),
        ("/api/media/video", {"video_url": URL + "\x00.mp4"}, "video_url"),
        ("/api/media/audio/transcribe", {"audio_url": URL, "language": "e\x00"}, "language"),
        (REANALYZE_UNKNOWN_JOB, {"prompt": "why\x00"}, "prompt"),
    ],
)
async def test_a_nul_character_in_a_json_field_is_422_naming_it(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], field: str
) -> None:
    errors = _field_errors(await client.post(path, json=body))
    assert "NUL" in errors[field]
    assert not errors[field].startswith("Value error")


async def test_a_nul_character_in_a_form_field_or_file_name_is_refused(
    client: httpx.AsyncClient,
) -> None:
    path = "/api/media/analyze"
    newest_before = await _newest_job_id(client)
    in_field = await client.post(
        path, files={"file": ("clip.wav", b"RIFF....", "audio/wav")}, data={"prompt": "x\x00"}
    )
    assert "NUL" in _field_errors(in_field)["prompt"]
    # Written by hand: httpx would percent-encode the NUL in a file name.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="clip\x00.wav"\r\n'
        b"Content-Type: audio/wav\r\n\r\nRIFF....\r\n--b--\r\n"
    )
    headers = {"content-type": "multipart/form-data; boundary=b"}
    in_name = await client.post(path, content=body, headers=headers)
    assert "NUL" in _assert_problem(in_name, 400)["detail"]
    assert await _newest_job_id(client) == newest_before


async def _newest_job_id(client: httpx.AsyncClient) -> str | None:
    items = (await client.get("/api/media/jobs", params={"limit": 1})).json()["items"]
    return items[0]["id"] if items else None


@pytest.mark.parametrize(
    "url",
    [
        "/api/media/jobs?job_type=%00",
        "/api/media/jobs?status=pending&job_type=video%00",
        "/api/media/archive?q=cat%00",
        "/api/media/archive?media_type=%00video",
        "/api/media/jobs/%00",
    ],
)
async def test_a_nul_character_in_the_url_is_400(client: httpx.AsyncClient, url: str) -> None:
    problem = _assert_problem(await client.get(url), 400)
    assert "NUL" in problem["detail"]


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("path", ["/api/media/jobs", "/api/media/archive"])
async def test_a_cursor_at_the_edge_of_the_calendar_is_400(
    client: httpx.AsyncClient, path: str
) -> None:
    cursor = _cursor(f"9999-12-31T23:59:59-14:00|{UNKNOWN_JOB}")
    problem = _assert_problem(await client.get(path, params={"cursor": cursor}), 400)
    assert problem["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "params",
    [
        {"from": "0001-01-01T00:00:00+14:00"},
        {"to": "9999-12-31T23:59:59-14:00"},
        {"from": "0001-01-01T00:00:00+14:00", "q": "speech"},
    ],
)
async def test_archive_dates_past_the_calendar_are_422(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    errors = _field_errors(await client.get("/api/media/archive", params=params))
    assert any("range of dates" in message for message in errors.values())


async def test_archive_dates_at_the_edge_that_fit_are_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/media/archive", params={"from": "0001-01-02T00:00:00+14:00", "to": "9999-12-30"}
    )
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["items"], list)  # other tests' jobs may be listed


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/media/documents", 422), (REANALYZE_UNKNOWN_JOB, 400)],
)
async def test_json_nested_beyond_the_parser_is_a_problem(
    client: httpx.AsyncClient, path: str, status: int
) -> None:
    for body in (b"[" * 100_000, b"[" * 100_000 + b"]" * 100_000):
        response = await client.post(
            path, content=body, headers={"content-type": "application/json"}
        )
        _assert_problem(response, status)
