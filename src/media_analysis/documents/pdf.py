"""PDF pages through PDFium: the text layer, or OCR of the rendered page when it has none.

PDFium is not thread-safe, so every call into it holds one process-wide lock; OCR runs
outside the lock so other documents can be read meanwhile.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
from PIL import Image

from media_analysis.analysis.ocr import joined_text, recognise_text
from media_analysis.documents.errors import DocumentEncrypted
from media_analysis.documents.limits import TextBudget
from media_analysis.documents.model import ExtractedDocument, Section
from media_analysis.errors import InvalidDocument

# A page whose text layer is shorter than this is probably a scan with a page number.
MIN_TEXT_LAYER_CHARS = 20
RENDER_DPI = 200
MAX_RENDER_SIDE_PX = 3000
METADATA_KEYS = {"Title": "title", "Author": "author", "Subject": "subject", "Creator": "creator"}

_pdfium_lock = threading.Lock()


def extract_pdf(path: Path, *, max_ocr_pages: int, max_text_bytes: int) -> ExtractedDocument:
    """Blocking; pages are read one at a time, and reading stops at ``max_text_bytes``."""
    with _pdfium_lock:
        pdf = _open(path)
        metadata = _metadata(pdf)
    sections: list[Section] = []
    ocr_pages: list[int] = []
    pages_over_ocr_limit: list[int] = []
    budget = TextBudget(max_text_bytes)
    try:
        for number in range(1, metadata["page_count"] + 1):
            may_ocr = len(ocr_pages) < max_ocr_pages
            text, used_ocr = _page_text(pdf, number - 1, may_ocr=may_ocr)
            budget.spend(text)
            if used_ocr:
                ocr_pages.append(number)
            elif not may_ocr and len(text) < MIN_TEXT_LAYER_CHARS:
                pages_over_ocr_limit.append(number)
            sections.append(Section(index=number, title=None, text=text))
    finally:
        with _pdfium_lock:
            pdf.close()
    metadata["ocr_pages"] = ocr_pages
    metadata["pages_over_ocr_limit"] = pages_over_ocr_limit
    return ExtractedDocument("pdf", sections, metadata, ocr_used=bool(ocr_pages), unit="page")


def _open(path: Path) -> Any:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentEncrypted("The PDF is password-protected.") from None
        raise InvalidDocument("The file is not a readable PDF.") from None


def _metadata(pdf: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"page_count": len(pdf)}
    for pdf_key, our_key in METADATA_KEYS.items():
        value = str(pdf.get_metadata_value(pdf_key) or "").strip()
        if value:
            metadata[our_key] = value
    return metadata


def _page_text(pdf: Any, page_index: int, *, may_ocr: bool) -> tuple[str, bool]:
    with _pdfium_lock:
        page = pdf[page_index]
        try:
            text = _text_layer(page)
            scan = _render(page) if may_ocr and len(text) < MIN_TEXT_LAYER_CHARS else None
        finally:
            page.close()
    if scan is None:
        return text, False
    recognised = joined_text(recognise_text(scan))
    return (recognised, True) if len(recognised) > len(text) else (text, False)


def _text_layer(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        raw = str(textpage.get_text_range())
    finally:
        textpage.close()
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def _render(page: Any) -> Image.Image:
    width_pt, height_pt = page.get_size()
    scale = min(RENDER_DPI / 72, MAX_RENDER_SIDE_PX / max(width_pt, height_pt, 1))
    bitmap = page.render(scale=scale)
    try:
        image: Image.Image = bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
    return image
