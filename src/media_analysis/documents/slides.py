"""PPTX through python-pptx: one section per slide, titled by its title placeholder.

Text frames, tables and grouped shapes are read in the slide's own order; speaker
notes follow the slide's text.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

import pptx
from lxml import etree  # type: ignore[import-untyped]
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.exc import PackageNotFoundError
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pptx.slide import Slide

from media_analysis.documents.model import ExtractedDocument, Section
from media_analysis.errors import InvalidDocument

CORRUPT_PACKAGE_ERRORS = (
    zipfile.BadZipFile,
    PackageNotFoundError,
    etree.XMLSyntaxError,
    KeyError,
    ValueError,
)


def extract_pptx(path: Path) -> ExtractedDocument:
    """Blocking."""
    try:
        presentation = pptx.Presentation(str(path))
        sections = [
            slide_section(number, slide)
            for number, slide in enumerate(presentation.slides, start=1)
        ]
        title = presentation.core_properties.title
    except CORRUPT_PACKAGE_ERRORS:
        raise InvalidDocument("The file is not a readable PPTX presentation.") from None
    metadata = {"slide_count": len(sections)} | ({"title": title} if title else {})
    return ExtractedDocument("pptx", sections, metadata, unit="slide")


def slide_section(number: int, slide: Slide) -> Section:
    title_shape = slide.shapes.title
    title = title_shape.text_frame.text.strip() if title_shape is not None else ""
    title_id = title_shape.shape_id if title_shape is not None else None
    texts = [
        text for shape in slide.shapes if shape.shape_id != title_id for text in shape_texts(shape)
    ]
    if slide.has_notes_slide:
        notes_frame = slide.notes_slide.notes_text_frame
        notes = notes_frame.text.strip() if notes_frame is not None else ""
        if notes:
            texts.append(f"Notes: {notes}")
    return Section(index=number, title=title or None, text="\n\n".join(texts))


def shape_texts(shape: BaseShape) -> Iterable[str]:
    if shape.shape_type == MSO_SHAPE_TYPE.GROUP and isinstance(shape, GroupShape):
        for member in shape.shapes:
            yield from shape_texts(member)
    elif isinstance(shape, GraphicFrame) and shape.has_table:
        yield _table_text(shape)
    elif shape.has_text_frame:
        text = shape.text_frame.text.strip()  # type: ignore[attr-defined]
        if text:
            yield text


def _table_text(frame: GraphicFrame) -> str:
    rows = (
        " | ".join(" ".join(cell.text.split()) for cell in row.cells) for row in frame.table.rows
    )
    return "\n".join(row for row in rows if row.strip(" |"))
