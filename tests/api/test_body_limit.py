"""Every request body is capped whatever its framing; only uploads may reach the upload cap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from media_analysis.config import Settings
from tests.conftest import CORPUS, make_settings

BODY_CAP = 4096
UPLOAD_CAP = 256 * 1024
CHUNK = b" " * 1024

# Fixed, so that test ids stay the same from one collection to the next.
UNKNOWN_JOB = "00000000-0000-4000-8000-000000000000"
REANALYZE_UNKNOWN_JOB = f"/api/media/jobs/{UNKNOWN_JOB}/analyze"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, max_json_body_bytes=BODY_CAP, max_upload_bytes=UPLOAD_CAP)


class EndlessBody:
    """A chunked JSON body that counts how much of it the server read."""

    def __init__(self, chunks: int = 10_000) -> None:
        self.chunks = chunks
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"prompt": "'
        for _ in range(self.chunks):
            self.sent += 1
            yield CHUNK
        yield b'"}'


def _assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "path",
    [
        "/api/media/documents",
        "/api/media/benchmark",
        REANALYZE_UNKNOWN_JOB,
    ],
)
async def test_a_chunked_body_is_refused_at_the_cap_without_reading_the_rest(
    client: httpx.AsyncClient, path: str
) -> None:
    body = EndlessBody()
    response = await client.post(path, content=body, headers={"content-type": "application/json"})
    _assert_too_large(response)
    assert body.sent <= BODY_CAP // len(CHUNK) + 1


async def test_a_declared_length_over_the_cap_is_refused_before_reading(
    client: httpx.AsyncClient,
) -> None:
    body = b'{"document_url": "https://example.com/a.pdf", "prompt": "' + b"x" * BODY_CAP + b'"}'
    _assert_too_large(await client.post("/api/media/documents", content=body))
    small = await client.post(
        "/api/media/documents", json={"document_url": "https://example.com/a.pdf"}
    )
    assert small.status_code == 202


async def test_a_multipart_upload_may_pass_the_body_cap_up_to_the_upload_cap(
    client: httpx.AsyncClient,
) -> None:
    audio = (CORPUS / "jfk.wav").read_bytes()[: UPLOAD_CAP // 2]
    upload = await client.post(
        "/api/media/audio/transcribe", files={"file": ("jfk.wav", audio, "audio/wav")}
    )
    assert upload.status_code == 202, upload.text
    too_big = (CORPUS / "jfk.wav").read_bytes()[: UPLOAD_CAP + 1]
    refused = await client.post(
        "/api/media/audio/transcribe", files={"file": ("jfk.wav", too_big, "audio/wav")}
    )
    _assert_too_large(refused)


async def test_multipart_to_a_route_without_uploads_keeps_the_body_cap(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        REANALYZE_UNKNOWN_JOB,
        files={"file": ("big.bin", b"x" * (BODY_CAP * 4), "application/octet-stream")},
    )
    _assert_too_large(response)
