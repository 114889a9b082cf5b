from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdf
import pytest

from media_analysis.documents.errors import DocumentEmpty, DocumentEncrypted
from media_analysis.documents.extract import extract_document
from media_analysis.errors import InvalidDocument
from tests.documents.conftest import CORPUS, PDF, text_page


def comparable(text: str) -> str:
    """NFKC, no apostrophes, whitespace collapsed: how the corpus says to compare."""
    text = unicodedata.normalize("NFKC", text).replace("'", "").replace("\u2019", "")
    return re.sub(r"\s+", " ", text).strip()


async def test_text_layer_matches_the_reference() -> None:
    expected = (CORPUS / "crazyones.expected.txt").read_text(encoding="utf-8")

    document = await extract_document(CORPUS / "crazyones.pdf", PDF)

    assert document.kind == "pdf" and document.unit == "page"
    assert [section.index for section in document.sections] == [1]
    assert comparable(document.sections[0].text) == comparable(expected)
    assert document.metadata["page_count"] == 1
    assert document.metadata["creator"].startswith("XeTeX")
    assert document.ocr_used is False


async def test_scanned_pages_are_read_by_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    first = text_page(["Quarterly report for the board", "Revenue grew by twelve percent"])
    second = text_page(["Thank you for reading"])
    first.save(path, "PDF", resolution=150, save_all=True, append_images=[second])

    document = await extract_document(path, PDF)

    assert document.ocr_used is True
    assert document.metadata["ocr_pages"] == [1, 2]
    assert document.sections[0].text.split("\n") == [
        "Quarterly report for the board",
        "Revenue grew by twelve percent",
    ]
    assert document.sections[1].text == "Thank you for reading"


async def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    writer = pypdf.PdfWriter(clone_from=CORPUS / "crazyones.pdf")
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    writer.write(path)

    with pytest.raises(DocumentEncrypted) as caught:
        await extract_document(path, PDF)

    assert caught.value.code == "document_encrypted"


async def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    writer = pypdf.PdfWriter(clone_from=CORPUS / "crazyones.pdf")
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    writer.write(path)

    document = await extract_document(path, PDF)

    assert document.sections[0].text.startswith("The Crazy Ones")


async def test_truncated_pdf_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes((CORPUS / "crazyones.pdf").read_bytes()[:3000])

    with pytest.raises(InvalidDocument) as caught:
        await extract_document(path, PDF)

    assert caught.value.code == "invalid_document"


async def test_blank_pdf_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    text_page([]).save(path, "PDF", resolution=150)

    with pytest.raises(DocumentEmpty) as caught:
        await extract_document(path, PDF)

    assert caught.value.code == "document_empty"


async def test_pdf_is_recognised_by_content_when_the_type_is_generic(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_bytes((CORPUS / "crazyones.pdf").read_bytes())

    document = await extract_document(path, "application/octet-stream")

    assert document.kind == "pdf"


async def test_ocr_stops_at_the_page_limit(tmp_path: Path) -> None:
    path = tmp_path / "long_scan.pdf"
    pages = [text_page([f"Chapter {word} begins here"]) for word in ("one", "two")]
    pages[0].save(path, "PDF", resolution=150, save_all=True, append_images=pages[1:])

    document = await extract_document(path, PDF, max_ocr_pages=1)

    assert document.metadata["ocr_pages"] == [1]
    assert document.metadata["pages_over_ocr_limit"] == [2]
    assert document.sections[0].text == "Chapter one begins here"
    assert document.sections[1].text == ""
