"""``extract_document``: any supported file in, numbered sections of text out.

Parsers are blocking, so each runs in a worker thread. A document that yields no text
at all, even after OCR, is refused as empty.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from media_analysis.analysis.ocr import joined_text, recognise_text
from media_analysis.documents.errors import DocumentEmpty
from media_analysis.documents.html import extract_html
from media_analysis.documents.kinds import OOXML_KINDS, document_kind, reject_ole_container
from media_analysis.documents.model import ExtractedDocument, Section
from media_analysis.documents.pdf import extract_pdf
from media_analysis.documents.plain import decode_text, extract_markdown, extract_plain_text
from media_analysis.documents.slides import extract_pptx
from media_analysis.documents.spreadsheets import extract_xlsx
from media_analysis.documents.word import extract_docx
from media_analysis.errors import InvalidDocument

DEFAULT_MAX_OCR_PAGES = 50


async def extract_document(
    path: Path, mime_type: str, *, max_ocr_pages: int = DEFAULT_MAX_OCR_PAGES
) -> ExtractedDocument:
    document = await asyncio.to_thread(extract_document_sync, path, mime_type, max_ocr_pages)
    if not document.has_text:
        raise DocumentEmpty("No text could be found in the document, not even by OCR.")
    return document


def extract_document_sync(path: Path, mime_type: str, max_ocr_pages: int) -> ExtractedDocument:
    kind = document_kind(path, mime_type)
    if kind in OOXML_KINDS:
        reject_ole_container(path, kind)
    if kind == "pdf":
        return extract_pdf(path, max_ocr_pages=max_ocr_pages)
    if kind == "docx":
        return extract_docx(path)
    if kind == "pptx":
        return extract_pptx(path)
    if kind == "xlsx":
        return extract_xlsx(path)
    if kind == "image":
        return extract_image(path)
    text = decode_text(path.read_bytes())
    if kind == "html":
        return extract_html(text)
    if kind == "markdown":
        return extract_markdown(text)
    return extract_plain_text(text)


def extract_image(path: Path) -> ExtractedDocument:
    try:
        with Image.open(path) as opened:
            # Phone photos are often stored sideways with an EXIF rotation flag.
            image = ImageOps.exif_transpose(opened)
            size = image.size
            text = joined_text(recognise_text(image))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise InvalidDocument("The file is not a readable image.") from None
    metadata = {"width": size[0], "height": size[1]}
    return ExtractedDocument("image", [Section(1, None, text)], metadata, ocr_used=True)
