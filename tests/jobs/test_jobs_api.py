"""The jobs resource: list, read, cancel, delete, problems for bad requests."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.config import Settings
from media_analysis.db.models import Job, MediaAsset
from media_analysis.db.repositories import AssetRepository, JobRepository


async def _job(session: AsyncSession, **values: object) -> Job:
    job = Job(id=uuid.uuid4(), job_type="video", parameters={"fps": 3}, **values)
    await JobRepository(session).add(job)
    return job


async def test_get_returns_the_job_resource_with_links(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    job = await _job(db_session, media_url="https://example.com/a.mp4", prompt="what?")
    body = (await client.get(f"/api/media/jobs/{job.id}")).json()
    assert body["id"] == str(job.id)
    assert body["status"] == "pending"
    assert body["progress"] == {"stage": "queued", "percent": 0.0}
    assert body["error"] is None and body["result"] is None
    assert body["links"] == {
        "self": f"/api/media/jobs/{job.id}",
        "events": f"/api/media/jobs/{job.id}/events",
        "assets": f"/api/media/jobs/{job.id}/assets",
    }


async def test_unknown_and_malformed_ids_are_problems(client: httpx.AsyncClient) -> None:
    missing = await client.get(f"/api/media/jobs/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    malformed = await client.get("/api/media/jobs/not-a-uuid")
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"] == "path.job_id"


async def test_listing_filters_and_paginates(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    created = [await _job(db_session, status="failed") for _ in range(3)]
    await _job(db_session, status="completed")
    first = (await client.get("/api/media/jobs?status=failed&limit=2")).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = (
        await client.get(f"/api/media/jobs?status=failed&limit=2&cursor={first['next_cursor']}")
    ).json()
    ids = {item["id"] for item in first["items"] + second["items"]}
    assert {str(job.id) for job in created} <= ids
    assert all(item["status"] == "failed" for item in first["items"] + second["items"])
    bad = await client.get("/api/media/jobs?cursor=garbage!!")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"
    assert (await client.get("/api/media/jobs?limit=0")).status_code == 422
    assert (await client.get("/api/media/jobs?status=weird")).status_code == 422


async def test_deleting_a_pending_job_cancels_it(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    job = await _job(db_session)
    response = await client.delete(f"/api/media/jobs/{job.id}")
    assert response.status_code == 202
    assert response.json()["status"] == "cancelled"


async def test_deleting_a_finished_job_removes_rows_and_files(
    client: httpx.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    job = await _job(db_session, status="completed")
    folder: Path = settings.output_dir / str(job.id)
    folder.mkdir(parents=True)
    (folder / "frame_0001.jpg").write_bytes(b"jpeg")
    await AssetRepository(db_session).add_all(
        [MediaAsset(job_id=job.id, asset_type="frame", file_path=str(folder / "frame_0001.jpg"))]
    )
    response = await client.delete(f"/api/media/jobs/{job.id}")
    assert response.status_code == 204
    assert not folder.exists()
    assert await AssetRepository(db_session).list_for_job(job.id) == []
    assert (await client.get(f"/api/media/jobs/{job.id}")).status_code == 404
