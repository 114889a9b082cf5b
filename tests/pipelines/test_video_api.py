"""Video submissions end to end through the API with in-process workers."""

from __future__ import annotations

import hashlib
import itertools
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from media_analysis.media.binaries import ffmpeg_path
from tests.conftest import CORPUS
from tests.support.static_server import serve_folder

BUNNY = CORPUS / "bigbuckbunny.mp4"


def _ffmpeg_fps_count(video: Path, tmp_path: Path) -> int:
    out = tmp_path / "reference"
    out.mkdir()
    subprocess.run(
        [ffmpeg_path(), "-nostdin", "-v", "error", "-i", str(video), "-vf", "fps=3",
         str(out / "f_%04d.png")],
        check=True,
        timeout=120,
    )  # fmt: skip
    return len(list(out.iterdir()))


async def _upload(
    client: httpx.AsyncClient, path: str, media: Path, **fields: str
) -> httpx.Response:
    with media.open("rb") as handle:
        return await client.post(
            f"{path}?wait=60", files={"file": (media.name, handle, "video/mp4")}, data=fields
        )


async def test_contact_sheet_from_an_upload(live_client: httpx.AsyncClient, tmp_path: Path) -> None:
    response = await _upload(live_client, "/api/media/video/contact-sheet", BUNNY)
    assert response.status_code == 200, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/media/jobs/{job['id']}"
    assert job["status"] == "completed", job["error"]
    result: dict[str, Any] = job["result"]
    assert result["frame_count"] == _ffmpeg_fps_count(BUNNY, tmp_path)
    assert [len(sheet["tiles"]) for sheet in result["contact_sheets"]] == [6, 6, 4]
    assert result["contact_sheet_path"] == result["contact_sheets"][0]["url"]
    assert result["media"]["width"] == 1280 and result["media"]["height"] == 720
    first_sheet = result["contact_sheets"][0]
    for tile in first_sheet["tiles"]:
        x, y, w, h = tile["box"]
        assert x + w <= first_sheet["width"] and y + h <= first_sheet["height"]
    timestamps = [t["timestamp"] for s in result["contact_sheets"] for t in s["tiles"]]
    assert timestamps == sorted(timestamps)
    assert all(0.2 < b - a < 0.5 for a, b in itertools.pairwise(timestamps))

    assets = (await live_client.get(f"/api/media/jobs/{job['id']}/assets")).json()
    by_type: dict[str, list[dict[str, Any]]] = {}
    for asset in assets:
        by_type.setdefault(asset["asset_type"], []).append(asset)
    assert len(by_type["frame"]) == result["frame_count"]
    assert len(by_type["contact_sheet"]) == 3
    (original,) = by_type["original"]
    assert original["mime_type"] == "video/mp4"
    assert original["file_size_bytes"] == BUNNY.stat().st_size

    sheet = await live_client.get(first_sheet["url"])
    assert sheet.status_code == 200 and sheet.headers["content-type"] == "image/jpeg"
    assert sheet.content[:3] == b"\xff\xd8\xff"


async def test_asset_download_supports_range_and_etag(live_client: httpx.AsyncClient) -> None:
    job = (await _upload(live_client, "/api/media/video/extract-frames", BUNNY)).json()
    assets = (
        await live_client.get(f"/api/media/jobs/{job['id']}/assets?asset_type=original")
    ).json()
    url = assets[0]["url"]
    full = await live_client.get(url)
    assert (
        hashlib.sha256(full.content).hexdigest() == hashlib.sha256(BUNNY.read_bytes()).hexdigest()
    )
    partial = await live_client.get(url, headers={"Range": "bytes=10-19"})
    assert partial.status_code == 206
    assert partial.content == BUNNY.read_bytes()[10:20]
    assert partial.headers["content-range"] == f"bytes 10-19/{BUNNY.stat().st_size}"
    cached = await live_client.get(url, headers={"If-None-Match": full.headers["etag"]})
    assert cached.status_code == 304


async def test_frames_from_a_url_in_png(live_client: httpx.AsyncClient) -> None:
    with serve_folder(CORPUS) as base:
        response = await live_client.post(
            "/api/media/video/extract-frames?wait=60",
            json={"video_url": f"{base}/bigbuckbunny.mp4", "fps": 1, "output_format": "png"},
        )
    job = response.json()
    assert job["status"] == "completed", job["error"]
    assert job["parameters"] == {"fps": 1.0, "output_format": "png"}
    assert job["result"]["frame_count"] in (5, 6)
    frames = (await live_client.get(f"/api/media/jobs/{job['id']}/assets?asset_type=frame")).json()
    assert {frame["mime_type"] for frame in frames} == {"image/png"}


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b"", 400, "empty_file"),
        (b"this is not a video at all" * 100, 415, "unsupported_media_type"),
        ((CORPUS / "jfk.flac").read_bytes(), 415, "unsupported_media_type"),
    ],
)
async def test_uploads_that_are_no_video_are_refused_at_submission(
    live_client: httpx.AsyncClient, payload: bytes, status: int, code: str
) -> None:
    response = await live_client.post(
        "/api/media/video/contact-sheet?wait=30", files={"file": ("clip.mp4", payload, "video/mp4")}
    )
    assert response.status_code == status
    assert response.json()["code"] == code


async def test_a_video_that_cannot_be_decoded_fails_its_job_with_a_code(
    live_client: httpx.AsyncClient,
) -> None:
    response = await live_client.post(
        "/api/media/video/contact-sheet?wait=30",
        files={"file": ("clip.mp4", BUNNY.read_bytes()[:20_000], "video/mp4")},
    )
    job = response.json()
    assert job["status"] == "failed"
    assert job["error"]["code"] == "invalid_media"
    assert "/" not in job["error"]["message"].replace("http://", "")
    assets = await live_client.get(f"/api/media/jobs/{job['id']}/assets")
    assert assets.json() == []


async def test_private_urls_are_refused_unless_allowed(
    live_client: httpx.AsyncClient, live_app: Any
) -> None:
    live_app.state.settings.allow_private_urls = False
    try:
        response = await live_client.post(
            "/api/media/video/extract-frames?wait=30",
            json={"video_url": "http://169.254.169.254/latest/meta-data"},
        )
    finally:
        live_app.state.settings.allow_private_urls = True
    assert response.status_code == 400
    assert response.json()["code"] == "unsafe_url"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "video_url"),
        ({"video_url": "ftp://example.com/a.mp4"}, "video_url"),
        ({"video_url": "https://example.com/a.mp4", "fps": 0}, "fps"),
        ({"video_url": "https://example.com/a.mp4", "grid": "2y3"}, "grid"),
        ({"video_url": "https://example.com/a.mp4", "unknown": 1}, "unknown"),
    ],
)
async def test_bad_bodies_are_422_naming_the_field(
    live_client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await live_client.post("/api/media/video/contact-sheet", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert any(error["field"].endswith(field) for error in response.json()["errors"])


async def test_wrong_content_type_and_broken_json(live_client: httpx.AsyncClient) -> None:
    text = await live_client.post(
        "/api/media/video/extract-frames", content=b"x", headers={"content-type": "text/plain"}
    )
    assert text.status_code == 415
    broken = await live_client.post(
        "/api/media/video/extract-frames",
        content=b"{nope",
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 422


async def test_idempotent_resubmission_returns_the_same_job(live_client: httpx.AsyncClient) -> None:
    body = {"video_url": "https://example.com/same.mp4"}
    headers = {"Idempotency-Key": "retry-42"}
    first = await live_client.post("/api/media/video/extract-frames", json=body, headers=headers)
    again = await live_client.post("/api/media/video/extract-frames", json=body, headers=headers)
    assert first.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    other = await live_client.post(
        "/api/media/video/extract-frames",
        json={"video_url": "https://example.com/o.mp4"},
        headers=headers,
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    await live_client.delete(f"/api/media/jobs/{first.json()['id']}")


async def test_a_truncated_video_completes_with_a_warning(
    live_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # Moved to the front, the index survives the cut, so the first 30 % of the bytes decode.
    streamable = tmp_path / "streamable.mp4"
    subprocess.run(
        [ffmpeg_path(), "-nostdin", "-v", "error", "-i", str(BUNNY), "-map", "0", "-c", "copy",
         "-movflags", "+faststart", str(streamable)],
        check=True,
        timeout=60,
    )  # fmt: skip
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(streamable.read_bytes()[: streamable.stat().st_size * 30 // 100])

    job = (await _upload(live_client, "/api/media/video/contact-sheet", cut)).json()

    assert job["status"] == "completed", job["error"]
    result = job["result"]
    assert 0 < result["frame_count"] < _ffmpeg_fps_count(BUNNY, tmp_path)
    (warning,) = result["warnings"]
    assert warning["code"] == "truncated"
    decoded = float(warning["message"].split(" s ")[0].removeprefix("only "))
    assert decoded == pytest.approx(result["last_timestamp"] + 1 / 3, abs=0.01)
    assert "of the declared 5.3 s" in warning["message"]


async def test_a_whole_video_has_no_warnings(live_client: httpx.AsyncClient) -> None:
    job = (await _upload(live_client, "/api/media/video/extract-frames", BUNNY)).json()

    assert job["status"] == "completed", job["error"]
    assert job["result"]["warnings"] == []


async def test_a_video_cut_before_its_index_fails_as_invalid_media(
    live_client: httpx.AsyncClient,
) -> None:
    response = await live_client.post(
        "/api/media/video/contact-sheet?wait=30",
        files={"file": ("cut.mp4", BUNNY.read_bytes()[: BUNNY.stat().st_size * 30 // 100])},
    )
    job = response.json()
    assert job["status"] == "failed" and job["error"]["code"] == "invalid_media"
