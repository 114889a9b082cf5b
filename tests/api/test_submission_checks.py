"""What can be known from the request is refused at once, with no job made."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import CORPUS, serving_app

UPLOAD_ENDPOINTS = (
    "/api/media/analyze",
    "/api/media/video",
    "/api/media/video/extract-frames",
    "/api/media/video/contact-sheet",
    "/api/media/audio",
    "/api/media/audio/transcribe",
    "/api/media/documents",
)
URL_FIELDS = {
    "/api/media/analyze": "media_url",
    "/api/media/video": "video_url",
    "/api/media/audio/transcribe": "audio_url",
    "/api/media/documents": "document_url",
}


@pytest.fixture
async def http(tmp_path: Path, db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serving_app(tmp_path, db_url, workers=0, allow_private_urls=False) as (client, _):
        yield client
        for job in (await client.get("/api/media/jobs", params={"limit": 200})).json()["items"]:
            if job["status"] == "pending":
                await client.delete(f"/api/media/jobs/{job['id']}")


async def _job_count(http: httpx.AsyncClient) -> int:
    return len((await http.get("/api/media/jobs", params={"limit": 200})).json()["items"])


async def test_an_empty_upload_gets_the_same_problem_everywhere(http: httpx.AsyncClient) -> None:
    before = await _job_count(http)
    details = set()
    for endpoint in UPLOAD_ENDPOINTS:
        response = await http.post(endpoint, files={"file": ("empty.mp4", b"", "video/mp4")})
        assert response.status_code == 400, endpoint
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "empty_file"
        details.add(response.json()["detail"])
    assert len(details) == 1
    assert await _job_count(http) == before


@pytest.mark.parametrize(
    ("endpoint", "name", "content"),
    [
        ("/api/media/video", "talk.mp4", (CORPUS / "crazyones.pdf").read_bytes()),
        ("/api/media/video/extract-frames", "speech.mp4", (CORPUS / "jfk.wav").read_bytes()),
        ("/api/media/audio/transcribe", "notes.mp3", (CORPUS / "par-hyperlinks.docx").read_bytes()),
        ("/api/media/documents", "report.pdf", (CORPUS / "jfk.flac").read_bytes()),
        ("/api/media/analyze", "clip.mp4", bytes(range(256)) * 64),
    ],
)
async def test_bytes_the_endpoint_cannot_use_are_refused(
    http: httpx.AsyncClient, endpoint: str, name: str, content: bytes
) -> None:
    before = await _job_count(http)
    response = await http.post(endpoint, files={"file": (name, content)})
    assert response.status_code == 415, response.text
    problem = response.json()
    assert problem["code"] == "unsupported_media_type"
    assert "this endpoint takes" in problem["detail"]
    assert await _job_count(http) == before


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/clip.mp4",
        "http://localhost:8000/clip.mp4",
        "https://media.localhost/clip.mp4",
        "http://[::1]/clip.mp4",
        "http://10.1.2.3/clip.mp4",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:192.168.0.1]/clip.mp4",
    ],
)
async def test_urls_with_a_literally_private_host_are_refused(
    http: httpx.AsyncClient, url: str
) -> None:
    before = await _job_count(http)
    for endpoint, field in URL_FIELDS.items():
        response = await http.post(endpoint, json={field: url})
        assert response.status_code == 400, (endpoint, response.text)
        assert response.json()["code"] == "unsafe_url"
    assert await _job_count(http) == before


async def test_a_url_whose_host_needs_dns_is_left_to_the_job(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/api/media/audio/transcribe", json={"audio_url": "https://media.example.org/talk.mp3"}
    )
    assert response.status_code == 202
    assert response.json()["media_type"] is None  # known once the job has fetched the bytes


async def test_uploads_record_their_content_type_and_file_name(http: httpx.AsyncClient) -> None:
    speech = await http.post(
        "/api/media/audio/transcribe",
        files={"file": ("jfk.wav", (CORPUS / "jfk.wav").read_bytes())},
    )
    video = await http.post(
        "/api/media/audio/transcribe",
        files={"file": ("bunny.mp4", (CORPUS / "bigbuckbunny.mp4").read_bytes())},
    )
    pdf = await http.post(
        "/api/media/analyze", files={"file": ("a.bin", (CORPUS / "crazyones.pdf").read_bytes())}
    )
    assert [r.status_code for r in (speech, video, pdf)] == [202, 202, 202]
    assert (speech.json()["media_type"], speech.json()["original_filename"]) == ("audio", "jfk.wav")
    assert (video.json()["media_type"], video.json()["original_filename"]) == ("video", "bunny.mp4")
    assert pdf.json()["media_type"] == "document"


async def test_lists_carry_summaries_unless_results_are_asked_for(
    http: httpx.AsyncClient,
) -> None:
    submitted = await http.post(
        "/api/media/documents", files={"file": ("notes.txt", b"Harbour notes: forty cranes.\n")}
    )
    assert submitted.status_code == 202
    summary = (await http.get("/api/media/jobs")).json()["items"][0]
    assert summary["id"] == submitted.json()["id"]
    assert "result" not in summary and "parameters" not in summary
    assert summary["original_filename"] == "notes.txt"
    assert summary["links"]["self"] == f"/api/media/jobs/{summary['id']}"
    full = (await http.get("/api/media/jobs", params={"include": "result"})).json()["items"][0]
    assert "result" in full and full["parameters"] == {"analysis_type": "summary"}
