"""DOCX through python-docx: paragraphs (hyperlink text included) and tables, in order.

Headings ("Title", "Heading 1" …) start a new section titled with the heading's text.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree  # type: ignore[import-untyped]

from media_analysis.documents.model import ExtractedDocument
from media_analysis.documents.sections import SectionBuilder
from media_analysis.errors import InvalidDocument

CORRUPT_PACKAGE_ERRORS = (
    zipfile.BadZipFile,
    PackageNotFoundError,
    etree.XMLSyntaxError,
    KeyError,
    ValueError,
)


def extract_docx(path: Path) -> ExtractedDocument:
    """Blocking."""
    try:
        document = docx.Document(str(path))
        builder = SectionBuilder()
        counts = _read_body(document.iter_inner_content(), builder)
        sections = builder.build()
        properties = document.core_properties
        title, author = properties.title, properties.author
    except CORRUPT_PACKAGE_ERRORS:
        raise InvalidDocument("The file is not a readable DOCX document.") from None
    metadata = {
        "paragraph_count": counts[0],
        "table_count": counts[1],
        "section_count": len(sections),
    }
    metadata |= {key: value for key, value in (("title", title), ("author", author)) if value}
    return ExtractedDocument("docx", sections, metadata)


def _read_body(blocks: Iterator[Paragraph | Table], builder: SectionBuilder) -> tuple[int, int]:
    paragraphs = tables = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraphs += 1
            if _is_heading(block):
                builder.start_section(block.text)
            else:
                builder.add_paragraph(block.text)
        elif isinstance(block, Table):
            tables += 1
            builder.add_paragraph(table_text(block))
    return paragraphs, tables


def _is_heading(paragraph: Paragraph) -> bool:
    style_name = paragraph.style.name if paragraph.style is not None else ""
    name = (style_name or "").lower()
    return bool(paragraph.text.strip()) and (name == "title" or name.startswith("heading"))


def table_text(table: Table) -> str:
    """One line per row, cells separated by `` | ``; merged cells are listed once."""
    lines = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            # A merged cell appears once per grid column it spans, as the same element.
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        if any(cells):
            lines.append(" | ".join(cells))
    return "\n".join(lines)
