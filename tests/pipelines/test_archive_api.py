"""The archive: finding past jobs by a word said or written in them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.conftest import CORPUS


async def _finished(
    client: httpx.AsyncClient, path: str, name: str, **fields: str
) -> dict[str, Any]:
    content = (CORPUS / name).read_bytes()
    response = await client.post(f"{path}?wait=60", files={"file": (name, content)}, data=fields)
    job: dict[str, Any] = response.json()
    assert job["status"] == "completed", job["error"]
    return job


async def test_a_word_said_finds_the_job_with_its_moment(live_client: httpx.AsyncClient) -> None:
    speech = await _finished(live_client, "/api/media/audio/transcribe", "jfk.wav")
    document = await _finished(live_client, "/api/media/documents", "crazyones.pdf")

    found = (await live_client.get("/api/media/archive", params={"q": "fellow Americans"})).json()
    hits = {item["job"]["id"]: item for item in found["items"]}
    assert speech["id"] in hits and document["id"] not in hits
    (match,) = [m for m in hits[speech["id"]]["matches"] if m["source"] == "transcript"]
    assert "<mark>" in match["snippet"]
    assert 1.0 <= match["timestamp"] <= 3.0

    crazy = (await live_client.get("/api/media/archive", params={"q": "crazy ones"})).json()
    document_hits = [item for item in crazy["items"] if item["job"]["id"] == document["id"]]
    assert document_hits
    assert any(m["source"] == "document" and m["section"] == 1 for m in document_hits[0]["matches"])

    none = (await live_client.get("/api/media/archive", params={"q": "zeppelin xylophone"})).json()
    assert all(item["job"]["id"] not in (speech["id"], document["id"]) for item in none["items"])


async def test_browsing_filters_by_type_and_date_with_pagination(
    live_client: httpx.AsyncClient,
) -> None:
    document = await _finished(live_client, "/api/media/documents", "par-hyperlinks.docx")
    today = datetime.now(UTC)
    params = {
        "media_type": "document",
        "from": (today - timedelta(hours=1)).isoformat(),
        "to": (today + timedelta(hours=1)).isoformat(),
        "limit": 1,
    }
    seen: list[str] = []
    cursor = None
    for _ in range(50):
        page = (
            await live_client.get(
                "/api/media/archive", params={**params, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        seen.extend(item["job"]["id"] for item in page["items"])
        assert all(item["job"]["media_type"] == "document" for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert document["id"] in seen and len(seen) == len(set(seen))
    old = (
        await live_client.get(
            "/api/media/archive", params={"to": (today - timedelta(days=365)).isoformat()}
        )
    ).json()
    assert document["id"] not in [item["job"]["id"] for item in old["items"]]
    bad = await live_client.get("/api/media/archive", params={"q": "x", "cursor": "nonsense"})
    assert bad.status_code == 400
