"""Multipart submissions: a body cut short is refused, and nothing of it is kept."""

from __future__ import annotations

import httpx

from media_analysis.config import Settings
from media_analysis.storage import incoming_dir
from tests.conftest import CORPUS

BOUNDARY = b"media-boundary"
HEADERS = {"content-type": "multipart/form-data; boundary=media-boundary"}


def _form(audio: bytes, *, closed: bool) -> bytes:
    body = (
        b"--" + BOUNDARY + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="jfk.wav"\r\n'
        b"Content-Type: audio/wav\r\n\r\n" + audio
    )
    return body + (b"\r\n--" + BOUNDARY + b"--\r\n" if closed else b"")


async def test_a_body_without_its_closing_boundary_is_400_and_makes_no_job(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    audio = (CORPUS / "jfk.wav").read_bytes()
    cut = await client.post(
        "/api/media/audio/transcribe", content=_form(audio[:50_000], closed=False), headers=HEADERS
    )
    assert cut.status_code == 400, cut.text
    assert cut.headers["content-type"] == "application/problem+json"
    assert "closing boundary" in cut.json()["detail"]
    assert list(incoming_dir(settings).glob("*")) == []

    whole = await client.post(
        "/api/media/audio/transcribe", content=_form(audio, closed=True), headers=HEADERS
    )
    assert whole.status_code == 202, whole.text
    assets = (await client.get(f"/api/media/jobs/{whole.json()['id']}/assets")).json()
    assert [asset["file_size_bytes"] for asset in assets] == [len(audio)]
