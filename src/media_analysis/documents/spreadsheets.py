"""XLSX through openpyxl (read-only, cached values): one section per worksheet.

Each non-empty row becomes one tab-separated line. Very large sheets are cut at
``MAX_ROWS_PER_SHEET`` rows, and the metadata says which sheets were cut.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from media_analysis.documents.model import ExtractedDocument, Section
from media_analysis.errors import InvalidDocument

MAX_ROWS_PER_SHEET = 20_000
CORRUPT_PACKAGE_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    etree.XMLSyntaxError,
    KeyError,
    ValueError,
    TypeError,
)


def extract_xlsx(path: Path) -> ExtractedDocument:
    """Blocking.

    The workbook is opened from a file object: openpyxl refuses a path whose name does
    not end in .xlsx, and stored originals have no extension.
    """
    with path.open("rb") as file:
        try:
            workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except CORRUPT_PACKAGE_ERRORS:
            raise InvalidDocument("The file is not a readable XLSX workbook.") from None
        try:
            sections, cut_sheets = _read_sheets(workbook.worksheets)
        except CORRUPT_PACKAGE_ERRORS:
            raise InvalidDocument("The file is not a readable XLSX workbook.") from None
        finally:
            workbook.close()
    metadata: dict[str, Any] = {"sheet_count": len(sections), "truncated_sheets": cut_sheets}
    return ExtractedDocument("xlsx", sections, metadata, unit="sheet")


def _read_sheets(worksheets: Iterable[Any]) -> tuple[list[Section], list[str]]:
    sections: list[Section] = []
    cut_sheets: list[str] = []
    for number, sheet in enumerate(worksheets, start=1):
        lines, cut = sheet_lines(sheet.iter_rows(values_only=True))
        sections.append(Section(index=number, title=str(sheet.title), text="\n".join(lines)))
        if cut:
            cut_sheets.append(str(sheet.title))
    return sections, cut_sheets


def sheet_lines(rows: Iterable[tuple[Any, ...]]) -> tuple[list[str], bool]:
    lines: list[str] = []
    for row in rows:
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(lines) == MAX_ROWS_PER_SHEET:
            return lines, True
        lines.append("\t".join(cells))
    return lines, False


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())
