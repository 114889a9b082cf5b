"""Requests that once ended in a 500 or were wrongly accepted, sent to a real server."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import running_server, service_env

KEY = "hostile-key-1234567"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, db_url: str) -> Iterator[tuple[str, Path]]:
    workdir = tmp_path_factory.mktemp("hostile-requests")
    env = service_env(workdir, DATABASE_URL=db_url, MEDIA_ANALYSIS_API_KEY=KEY)
    with running_server(env, "--workers", "1") as base_url:
        yield base_url, workdir


@pytest.fixture(scope="module")
def http(server: tuple[str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], headers={"X-API-Key": KEY}, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def finished_job(http: httpx.Client) -> str:
    job = http.post(
        "/api/media/documents?wait=60", files={"file": ("notes.txt", b"Forty cranes.\n")}
    ).json()
    assert job["status"] == "completed", job
    job_id: str = job["id"]
    return job_id


def _refused(response: httpx.Response, *statuses: int) -> None:
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == PROBLEM


def test_a_nul_character_anywhere_is_refused(http: httpx.Client, finished_job: str) -> None:
    nul = "\u0000"
    _refused(http.post("/api/media/documents", json={"prompt": f"a{nul}b"}), 422)
    _refused(
        http.post("/api/media/documents", json={"document_url": f"https://example.com/{nul}"}),
        400,
        422,
    )
    _refused(http.get("/api/media/jobs", params={"job_type": f"x{nul}"}), 400, 422)
    _refused(http.get("/api/media/archive", params={"q": f"crane{nul}"}), 400, 422)
    _refused(http.get("/api/media/archive", params={"media_type": nul}), 400, 422)
    _refused(
        http.post(f"/api/media/jobs/{finished_job}/analyze", json={"prompt": f"why{nul}"}), 422
    )
    # Built by hand: HTTP clients escape a NUL in a file name before sending it.
    raw_name = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a\x00.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nForty cranes.\r\n--XyZ--\r\n"
    )
    upload = http.post(
        "/api/media/documents",
        content=raw_name,
        headers={"content-type": "multipart/form-data; boundary=XyZ"},
    )
    _refused(upload, 400, 422)


def test_dates_and_cursors_at_the_edge_of_the_calendar_are_refused(http: httpx.Client) -> None:
    far = "9999-12-31T23:59:59-14:00|00000000-0000-0000-0000-000000000000"
    cursor = base64.urlsafe_b64encode(far.encode()).decode().rstrip("=")
    _refused(http.get("/api/media/jobs", params={"cursor": cursor}), 400)
    _refused(http.get("/api/media/archive", params={"from": "0001-01-01T00:00:00+14:00"}), 400, 422)


def test_deeply_nested_json_is_refused(http: httpx.Client, finished_job: str) -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    headers = {"content-type": "application/json"}
    _refused(http.post("/api/media/documents", content=nested, headers=headers), 400, 422)
    reask = http.post(f"/api/media/jobs/{finished_job}/analyze", content=nested, headers=headers)
    _refused(reask, 400, 422)


def test_a_multipart_body_cut_before_its_closing_boundary_makes_no_job(
    http: httpx.Client,
) -> None:
    before = len(http.get("/api/media/jobs", params={"limit": 200}).json()["items"])
    cut = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nForty cranes on Tuesday.\r\n"
    )
    response = http.post(
        "/api/media/documents",
        content=cut,
        headers={"content-type": "multipart/form-data; boundary=XyZ"},
    )
    _refused(response, 400)
    assert len(http.get("/api/media/jobs", params={"limit": 200}).json()["items"]) == before


def test_downloads_answer_ranges_and_validators_as_problems_or_304(
    http: httpx.Client, finished_job: str
) -> None:
    (asset, *_) = http.get(f"/api/media/jobs/{finished_job}/assets").json()
    _refused(http.get(asset["url"], headers={"Range": "bytes=999999999-"}), 416)
    assert http.get(asset["url"], headers={"If-None-Match": "*"}).status_code == 304


def test_an_api_key_with_spaces_around_it_works_in_either_header(server: tuple[str, Path]) -> None:
    host, port = server[0].removeprefix("http://").split(":")
    for header in (f"X-API-Key:  {KEY} \t", f"Authorization: Bearer  {KEY} "):
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            request = f"GET /api/media/jobs HTTP/1.1\r\nHost: {host}\r\n{header}\r\n"
            connection.sendall(f"{request}Connection: close\r\n\r\n".encode())
            status_line = connection.recv(4096).split(b"\r\n", 1)[0]
        assert status_line == b"HTTP/1.1 200 OK", (header, status_line)


def test_a_path_cannot_forge_a_log_line(server: tuple[str, Path]) -> None:
    base_url, workdir = server
    forged = "forged-entry-7731 INFO media_analysis.access GET /admin 200"
    httpx.get(
        f"{base_url}/api/media/jobs/x%0a{forged.replace(' ', '%20')}", headers={"X-API-Key": KEY}
    )
    time.sleep(0.5)
    (log,) = workdir.glob("serve-*.log")
    lines = [line for line in log.read_text().splitlines() if "forged-entry-7731" in line]
    assert lines and all(not line.startswith("forged-entry") for line in lines)
