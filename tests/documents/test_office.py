from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import openpyxl  # type: ignore[import-untyped]
import pptx
import pytest
from pptx.util import Inches

from media_analysis.documents.errors import DocumentEmpty, DocumentEncrypted
from media_analysis.documents.extract import extract_document
from media_analysis.errors import InvalidDocument
from tests.documents.conftest import CORPUS, DOCX, PPTX, XLSX


async def test_docx_paragraphs_include_hyperlink_text() -> None:
    document = await extract_document(CORPUS / "par-hyperlinks.docx", DOCX)

    assert document.kind == "docx"
    assert document.text.split("\n\n") == [
        "No hyperlinks",
        "One awesome hyperlink.",
        "Three hyperlinks: the first one here, the second one, and the third.",
    ]
    assert document.metadata["author"] == "Steve Canny"


async def test_docx_headings_start_sections_and_tables_keep_rows(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    word = docx.Document()
    word.add_paragraph("Prepared for the board.")
    word.add_heading("Results", level=1)
    word.add_paragraph("Sales rose in every region.")
    table = word.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("Region", "Sales"), ("North", "120")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    word.add_heading("Outlook", level=2)
    word.add_paragraph("Steady growth is expected.")
    word.core_properties.title = "Annual report"
    word.save(str(path))

    document = await extract_document(path, DOCX)

    assert [(s.index, s.title) for s in document.sections] == [
        (1, None),
        (2, "Results"),
        (3, "Outlook"),
    ]
    assert document.sections[0].text == "Prepared for the board."
    assert document.sections[1].text == "Sales rose in every region.\n\nRegion | Sales\nNorth | 120"
    assert document.metadata["title"] == "Annual report"
    assert document.metadata["table_count"] == 1


async def test_pptx_one_section_per_slide_with_title_table_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "deck.pptx"
    deck = pptx.Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "Roadmap"
    first.placeholders[1].text_frame.text = "Ship the API\nAdd OCR"
    first.notes_slide.notes_text_frame.text = "Mention the deadline."
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Numbers"
    grid = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    for (row, col), value in {(0, 0): "Q1", (0, 1): "Q2", (1, 0): "10", (1, 1): "14"}.items():
        grid.cell(row, col).text = value
    deck.save(str(path))

    document = await extract_document(path, PPTX)

    assert document.unit == "slide"
    assert [(s.index, s.title) for s in document.sections] == [(1, "Roadmap"), (2, "Numbers")]
    assert document.sections[0].text == "Ship the API\nAdd OCR\n\nNotes: Mention the deadline."
    assert document.sections[1].text == "Q1 | Q2\n10 | 14"
    assert document.metadata["slide_count"] == 2


async def test_xlsx_one_section_per_sheet(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    sales = book.active
    sales.title = "Sales"
    sales.append(["Month", "Units", "Date"])
    sales.append(["January", 12.0, dt.datetime(2026, 1, 31)])
    sales.append([])
    sales.append(["February", 15.5, None])
    book.create_sheet("Notes").append(["Figures are provisional"])
    book.save(path)

    document = await extract_document(path, XLSX)

    assert document.unit == "sheet"
    assert [(s.index, s.title) for s in document.sections] == [(1, "Sales"), (2, "Notes")]
    assert document.sections[0].text.split("\n") == [
        "Month\tUnits\tDate",
        "January\t12\t2026-01-31",
        "February\t15.5",
    ]
    assert document.sections[1].text == "Figures are provisional"
    assert document.metadata["sheet_count"] == 2


@pytest.mark.parametrize(("suffix", "mime"), [(".docx", DOCX), (".pptx", PPTX), (".xlsx", XLSX)])
async def test_truncated_office_files_are_invalid(tmp_path: Path, suffix: str, mime: str) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes((CORPUS / "par-hyperlinks.docx").read_bytes()[:4000])

    with pytest.raises(InvalidDocument) as caught:
        await extract_document(path, mime)

    assert caught.value.code == "invalid_document"


async def test_password_protected_office_container_is_encrypted(tmp_path: Path) -> None:
    # Encrypted OOXML is an OLE compound file holding an "EncryptedPackage" stream;
    # this stand-in has the container signature and the stream's directory name.
    path = tmp_path / "locked.docx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + bytes(64))

    with pytest.raises(DocumentEncrypted):
        await extract_document(path, DOCX)


async def test_legacy_binary_office_file_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))

    with pytest.raises(InvalidDocument, match="legacy binary Office file"):
        await extract_document(path, DOCX)


async def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))

    with pytest.raises(DocumentEmpty):
        await extract_document(path, DOCX)
