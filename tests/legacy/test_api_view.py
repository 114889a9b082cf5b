"""Imported jobs through the API: the job, its files, its transcript, its event stream."""

from __future__ import annotations

from pathlib import Path

import httpx

from media_analysis.config import Settings
from media_analysis.legacy import import_legacy
from tests.legacy.legacy_tree import LegacyIds


async def test_imported_job_reads_like_a_native_one(
    client: httpx.AsyncClient, settings: Settings, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    await import_legacy(settings, db_url, legacy_root)

    job = (await client.get(f"/api/media/jobs/{ids.video}")).json()
    assert (job["status"], job["job_type"], job["error"]) == ("completed", "video", None)
    assert job["result"]["frame_count"] == 4

    assets = (await client.get(f"/api/media/jobs/{ids.video}/assets")).json()
    assert len(assets) == 8
    sheet = (await client.get(job["result"]["contact_sheet_path"])).content
    assert sheet == (legacy_root / "outputs" / ids.video / "contact_sheet.png").read_bytes()

    transcript = await client.get(f"/api/media/jobs/{ids.video}/transcript?format=txt")
    assert transcript.text.strip() == "Hello and welcome to the talk."

    async with client.stream("GET", f"/api/media/jobs/{ids.failed}/events") as events:
        body = (await events.aread()).decode()
    assert "event: failed" in body
    assert "legacy_error" in body
