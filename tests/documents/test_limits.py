"""Hostile documents fail at once with the sender's error code, never the service."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import docx
import openpyxl  # type: ignore[import-untyped]
import pytest
from PIL import Image

from media_analysis.documents.extract import extract_document
from media_analysis.documents.limits import DEFAULT_LIMITS
from media_analysis.errors import DocumentTooLarge, InvalidDocument, MediaTooLarge, ResourceLimit
from media_analysis.sandbox.pool import Sandbox
from tests.documents.conftest import CORPUS, DOCX, PDF, XLSX
from tests.documents.hostile import docx_bomb, png_bomb, self_referencing_pdf

MIB = 1024 * 1024


async def test_a_docx_that_unpacks_past_the_limit_is_refused_before_parsing(
    tmp_path: Path,
) -> None:
    bomb = docx_bomb(tmp_path / "bomb.docx", 3 * MIB)
    assert bomb.stat().st_size < 100_000
    limits = dataclasses.replace(DEFAULT_LIMITS, max_uncompressed_bytes=2 * MIB)

    with pytest.raises(DocumentTooLarge) as raised:
        await extract_document(bomb, DOCX, limits=limits)

    assert raised.value.code == "document_too_large"
    assert raised.value.extra == {"max_uncompressed_bytes": 2 * MIB}


async def test_text_past_the_limit_is_refused(tmp_path: Path) -> None:
    limits = dataclasses.replace(DEFAULT_LIMITS, max_text_bytes=500)
    with pytest.raises(DocumentTooLarge, match="more than 500 bytes of text"):
        await extract_document(CORPUS / "crazyones.pdf", PDF, limits=limits)
    notes = tmp_path / "notes.txt"
    notes.write_text("word " * 200)
    with pytest.raises(DocumentTooLarge):
        await extract_document(notes, "text/plain", limits=limits)


async def test_a_pdf_whose_page_tree_contains_itself_is_invalid(tmp_path: Path) -> None:
    pdf = self_referencing_pdf(tmp_path / "loop.pdf")
    with pytest.raises(InvalidDocument) as raised:
        await extract_document(pdf, PDF)
    assert raised.value.code == "invalid_document"


async def test_an_image_over_the_pixel_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.new("L", (400, 300), "white").save(path)
    limits = dataclasses.replace(DEFAULT_LIMITS, max_image_pixels=100_000)
    with pytest.raises(MediaTooLarge, match="400×300"):
        await extract_document(path, "image/png", limits=limits)


async def test_decoding_over_the_memory_limit_fails_with_resource_limit(tmp_path: Path) -> None:
    scan = png_bomb(tmp_path / "scan.png", 7000)
    small = Sandbox(memory_limit=300 * MIB, timeout=120)

    with pytest.raises(ResourceLimit) as raised:
        await extract_document(scan, "image/png", sandbox=small)

    assert raised.value.code == "resource_limit"


async def test_a_workbook_stored_without_an_extension_is_read(tmp_path: Path) -> None:
    original = tmp_path / "original"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Region", "Sales"])
    workbook.active.append(["North", 120])
    workbook.save(original)

    document = await extract_document(original, XLSX)

    assert document.sections[0].text == "Region\tSales\nNorth\t120"


async def test_a_document_package_that_is_not_a_zip_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "original"
    word = tmp_path / "real.docx"
    docx.Document().save(str(word))
    path.write_bytes(word.read_bytes()[:-200])
    with pytest.raises(InvalidDocument):
        await extract_document(path, DOCX)
    assert zipfile.is_zipfile(word)
