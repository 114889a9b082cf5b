"""Downloads: Range errors are problem+json, and `If-None-Match: *` revalidates."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import CORPUS

JFK = CORPUS / "jfk.wav"


@pytest.fixture
async def original_url(client: httpx.AsyncClient) -> str:
    with JFK.open("rb") as audio:
        job = await client.post(
            "/api/media/audio/transcribe", files={"file": ("jfk.wav", audio, "audio/wav")}
        )
    assert job.status_code == 202, job.text
    assets = (await client.get(f"/api/media/jobs/{job.json()['id']}/assets")).json()
    url: str = assets[0]["url"]
    return url


async def test_a_range_beyond_the_file_is_a_416_problem(
    client: httpx.AsyncClient, original_url: str
) -> None:
    size = JFK.stat().st_size
    response = await client.get(original_url, headers={"Range": f"bytes={size}-"})
    assert response.status_code == 416
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-range"] == f"bytes */{size}"
    assert response.json()["code"] == "range_not_satisfiable"
    within = await client.get(original_url, headers={"Range": f"bytes={size - 4}-"})
    assert within.status_code == 206 and within.content == JFK.read_bytes()[-4:]


@pytest.mark.parametrize("header", ["bytes=9-3", "lines=0-10", "bytes"])
async def test_a_malformed_range_is_a_400_problem(
    client: httpx.AsyncClient, original_url: str, header: str
) -> None:
    response = await client.get(original_url, headers={"Range": header})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_range"


async def test_if_none_match_star_or_a_weak_tag_is_not_modified(
    client: httpx.AsyncClient, original_url: str
) -> None:
    etag = (await client.get(original_url)).headers["etag"]
    for header in ("*", f'"other", W/{etag}', etag):
        response = await client.get(original_url, headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.headers["etag"] == etag
    changed = await client.get(original_url, headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.content == JFK.read_bytes()
