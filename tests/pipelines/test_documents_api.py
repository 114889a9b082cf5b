"""Document submissions: extraction with structure, local and model analysis, bad files."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfWriter

from tests.conftest import CORPUS, serving_app
from tests.fakes import run_fake_server
from tests.fakes.vision import FakeMiniMax

MINIMAX_KEY = "eyJhbGciOiJSUzI1NiJ9.minimaxDocumentKey0123456789"


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).replace("'", "").split())


async def _submit(
    client: httpx.AsyncClient, name: str, content: bytes, **fields: str
) -> dict[str, Any]:
    response = await client.post(
        "/api/media/documents?wait=60", files={"file": (name, content)}, data=fields
    )
    assert response.status_code in (200, 202), response.text
    job: dict[str, Any] = response.json()
    return job


async def test_a_pdf_is_extracted_and_summarised_locally(live_client: httpx.AsyncClient) -> None:
    job = await _submit(live_client, "crazyones.pdf", (CORPUS / "crazyones.pdf").read_bytes())
    assert job["status"] == "completed", job["error"]
    result = job["result"]
    assert result["document"]["kind"] == "pdf" and result["document"]["section_count"] == 1
    analysis = result["analysis_result"]
    assert analysis["provider"] == "local" and analysis["language_model_used"] is False
    assert "crazy ones" in _normal(str(analysis)).lower()

    assets = (await live_client.get(f"/api/media/jobs/{job['id']}/assets")).json()
    (text_asset,) = [a for a in assets if a["asset_type"] == "document_text"]
    stored = (await live_client.get(text_asset["url"])).json()
    expected = _normal((CORPUS / "crazyones.expected.txt").read_text())
    assert _normal(stored["sections"][0]["text"]) == expected


async def test_docx_hyperlink_text_is_kept_for_extraction(live_client: httpx.AsyncClient) -> None:
    docx = (CORPUS / "par-hyperlinks.docx").read_bytes()
    job = await _submit(live_client, "links.docx", docx, analysis_type="extract")
    assert job["status"] == "completed", job["error"]
    text = str(job["result"]["analysis_result"])
    assert "Three hyperlinks: the first one here, the second one, and the third." in text


async def test_encrypted_and_corrupt_documents_fail_with_codes(
    live_client: httpx.AsyncClient,
) -> None:
    writer = PdfWriter(clone_from=str(CORPUS / "crazyones.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    encrypted = await _submit(live_client, "locked.pdf", buffer.getvalue())
    assert encrypted["status"] == "failed"
    assert encrypted["error"]["code"] == "document_encrypted"
    corrupt = await _submit(
        live_client, "broken.pdf", (CORPUS / "crazyones.pdf").read_bytes()[:600]
    )
    assert corrupt["status"] == "failed"
    assert corrupt["error"]["code"] in ("invalid_document", "document_empty")


async def test_a_question_needs_a_prompt(live_client: httpx.AsyncClient) -> None:
    response = await live_client.post(
        "/api/media/documents",
        json={"document_url": "https://example.com/a.pdf", "analysis_type": "qa"},
    )
    assert response.status_code == 422
    bad_type = await live_client.post(
        "/api/media/documents",
        json={"document_url": "https://example.com/a.pdf", "analysis_type": "poem"},
    )
    assert bad_type.status_code == 422


@pytest.fixture
async def minimax_client(
    tmp_path: Path, db_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, FakeMiniMax]]:
    fake = FakeMiniMax(api_key=MINIMAX_KEY, model="MiniMax-Text-01", answer="It praises misfits.")
    with run_fake_server(fake.app) as base_url:
        async with serving_app(
            tmp_path, db_url, minimax_api_key=MINIMAX_KEY, minimax_base_url=base_url
        ) as (client, _):
            yield client, fake


async def test_a_configured_model_answers_questions_about_the_text(
    minimax_client: tuple[httpx.AsyncClient, FakeMiniMax],
) -> None:
    client, fake = minimax_client
    job = await _submit(
        client,
        "crazyones.pdf",
        (CORPUS / "crazyones.pdf").read_bytes(),
        analysis_type="qa",
        prompt="Who is being praised?",
    )
    assert job["status"] == "completed", job["error"]
    analysis = job["result"]["analysis_result"]
    assert analysis["provider"] == "minimax", job["result"]["providers"]
    assert analysis["provider"] == "minimax" and analysis["answer"] == "It praises misfits."
    assert job["result"]["providers"][0]["outcome"] == "success"
    (request,) = fake.requests
    sent = str(request.body)
    assert "Who is being praised?" in sent
    assert "crazy ones" in _normal(sent).lower()
