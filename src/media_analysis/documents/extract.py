"""``extract_document``: any supported file in, numbered sections of text out.

Parsing runs in a memory-limited child process (see ``media_analysis.sandbox``): a
hostile file can exhaust only that child. Whatever a parser raises on a file it cannot
read is the sender's problem, reported as ``invalid_document`` and never retried. A
document that yields no text at all, even after OCR, is refused as empty.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PIL import ImageOps

from media_analysis.analysis.images import open_image
from media_analysis.analysis.ocr import joined_text, recognise_text
from media_analysis.documents.errors import DocumentEmpty
from media_analysis.documents.html import extract_html
from media_analysis.documents.kinds import OOXML_KINDS, document_kind, reject_ole_container
from media_analysis.documents.limits import (
    DEFAULT_LIMITS,
    DocumentLimits,
    ensure_file_fits,
    ensure_package_fits,
    ensure_text_fits,
)
from media_analysis.documents.model import ExtractedDocument, Section
from media_analysis.documents.pdf import extract_pdf
from media_analysis.documents.plain import decode_text, extract_markdown, extract_plain_text
from media_analysis.documents.slides import extract_pptx
from media_analysis.documents.spreadsheets import extract_xlsx
from media_analysis.documents.word import extract_docx
from media_analysis.errors import InvalidDocument, InvalidMedia, MediaAnalysisError
from media_analysis.sandbox.pool import DEFAULT_SANDBOX, Sandbox

DEFAULT_MAX_OCR_PAGES = 50

logger = logging.getLogger(__name__)


async def extract_document(
    path: Path,
    mime_type: str,
    *,
    max_ocr_pages: int = DEFAULT_MAX_OCR_PAGES,
    limits: DocumentLimits = DEFAULT_LIMITS,
    sandbox: Sandbox = DEFAULT_SANDBOX,
) -> ExtractedDocument:
    document = await sandbox.run(
        functools.partial(extract_isolated, path, mime_type, max_ocr_pages, limits)
    )
    if not document.has_text:
        raise DocumentEmpty("No text could be found in the document, not even by OCR.")
    return document


def extract_isolated(
    path: Path, mime_type: str, max_ocr_pages: int, limits: DocumentLimits
) -> ExtractedDocument:
    """Runs in the child: any parser failure becomes the sender's ``invalid_document``."""
    try:
        document = extract_document_sync(path, mime_type, max_ocr_pages, limits)
    except (MediaAnalysisError, MemoryError):
        raise
    except Exception as exc:
        logger.info("document parser failed: %s: %s", type(exc).__name__, exc)
        raise InvalidDocument("The document is damaged or malformed and cannot be read.") from None
    ensure_text_fits(document, limits.max_text_bytes)
    return document


def extract_document_sync(
    path: Path, mime_type: str, max_ocr_pages: int, limits: DocumentLimits
) -> ExtractedDocument:
    kind = document_kind(path, mime_type)
    if kind in OOXML_KINDS:
        reject_ole_container(path, kind)
        ensure_package_fits(path, limits.max_uncompressed_bytes)
    if kind == "pdf":
        return extract_pdf(path, max_ocr_pages=max_ocr_pages, max_text_bytes=limits.max_text_bytes)
    if kind == "docx":
        return extract_docx(path)
    if kind == "pptx":
        return extract_pptx(path)
    if kind == "xlsx":
        return extract_xlsx(path)
    if kind == "image":
        return extract_image(path, limits.max_image_pixels)
    ensure_file_fits(path, limits.max_uncompressed_bytes)
    text = decode_text(path.read_bytes())
    if kind == "html":
        return extract_html(text)
    if kind == "markdown":
        return extract_markdown(text)
    return extract_plain_text(text)


def extract_image(path: Path, max_pixels: int) -> ExtractedDocument:
    try:
        with open_image(path, max_pixels) as opened:
            # Phone photos are often stored sideways with an EXIF rotation flag.
            image = ImageOps.exif_transpose(opened)
            size = image.size
            text = joined_text(recognise_text(image))
    except InvalidMedia:
        raise InvalidDocument("The file is not a readable image.") from None
    except (OSError, ValueError, SyntaxError):
        raise InvalidDocument("The file is not a readable image.") from None
    metadata = {"width": size[0], "height": size[1]}
    return ExtractedDocument("image", [Section(1, None, text)], metadata, ocr_used=True)
