"""Hostile and real Office files through every route that takes documents or images.

Limits and decoder failures end the job on its first attempt with the sender's code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import httpx
import openpyxl  # type: ignore[import-untyped]
import pptx
import pytest

from tests.documents.hostile import png_bomb, self_referencing_pdf
from tests.media.clips import huge_frame_video

ROUTES = ("/api/media/documents", "/api/media/analyze")


async def _job(client: httpx.AsyncClient, route: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        response = await client.post(f"{route}?wait=60", files={"file": ("upload", file)})
    assert response.status_code in (200, 202), response.text
    job: dict[str, Any] = response.json()
    assert job["status"] in ("completed", "failed"), job
    return job


def _failed_at_once(job: dict[str, Any], code: str) -> None:
    assert job["status"] == "failed"
    assert job["error"]["code"] == code, job["error"]
    assert job["attempts"] == 1


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Region", "Units", "Since"])
    sheet.append(["North", 120, dt.date(2024, 3, 1)])
    book.save(path)
    return path


def presentation(path: Path) -> Path:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Quarterly review"
    slide.placeholders[1].text_frame.text = "Revenue grew in every region"
    deck.save(str(path))
    return path


def word_document(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Minutes", level=1)
    document.add_paragraph("The committee approved the budget.")
    document.save(str(path))
    return path


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("make", "kind", "expected"),
    [
        (workbook, "xlsx", "North\t120\t2024-03-01"),
        (presentation, "pptx", "Revenue grew in every region"),
        (word_document, "docx", "The committee approved the budget."),
    ],
)
async def test_office_files_made_by_their_libraries_are_read(
    live_client: httpx.AsyncClient, tmp_path: Path, route: str, make: Any, kind: str, expected: str
) -> None:
    job = await _job(live_client, route, make(tmp_path / f"file.{kind}"))

    assert job["status"] == "completed", job["error"]
    assert job["result"]["document"]["kind"] == kind
    assets = (await live_client.get(f"/api/media/jobs/{job['id']}/assets")).json()
    (text,) = [asset for asset in assets if asset["asset_type"] == "document_text"]
    stored = (await live_client.get(text["url"])).json()
    assert expected in "\n".join(section["text"] for section in stored["sections"])


@pytest.mark.parametrize("route", ROUTES)
async def test_a_circular_pdf_is_invalid_at_once(
    live_client: httpx.AsyncClient, tmp_path: Path, route: str
) -> None:
    job = await _job(live_client, route, self_referencing_pdf(tmp_path / "loop.pdf"))
    _failed_at_once(job, "invalid_document")


@pytest.mark.parametrize("side", [13_000, 20_000])
async def test_an_image_bomb_is_too_large_at_once(
    live_client: httpx.AsyncClient, tmp_path: Path, side: int
) -> None:
    job = await _job(live_client, "/api/media/analyze", png_bomb(tmp_path / "bomb.png", side))
    _failed_at_once(job, "media_too_large")
    assert "pixels allowed" in job["error"]["message"]


async def test_an_image_bomb_sent_as_a_document_is_too_large(
    live_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    job = await _job(live_client, "/api/media/documents", png_bomb(tmp_path / "bomb.png", 13_000))
    _failed_at_once(job, "media_too_large")


async def test_video_frames_over_the_limit_are_refused_at_probe_time(
    live_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    job = await _job(live_client, "/api/media/analyze", huge_frame_video(tmp_path / "huge.mp4"))
    _failed_at_once(job, "media_too_large")
    assert "8192×8192" in job["error"]["message"]
