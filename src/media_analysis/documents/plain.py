"""Plain text and Markdown: decoding, pages split at form feeds, sections at headings."""

from __future__ import annotations

import codecs
import re

from media_analysis.documents.model import ExtractedDocument, Section, SectionUnit
from media_analysis.documents.sections import SectionBuilder
from media_analysis.errors import InvalidDocument

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def decode_text(data: bytes) -> str:
    """BOM, else UTF-8, else a charset the file declares, else Windows-1252."""
    text = _decode(data)
    if "\x00" in text:
        raise InvalidDocument("The file is binary data, not text.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def extract_plain_text(text: str) -> ExtractedDocument:
    """Form feeds separate pages (as ``pdftotext`` writes them); otherwise one section."""
    pages = text.split("\f")
    sections = [Section(index=n, title=None, text=page.strip()) for n, page in enumerate(pages, 1)]
    unit: SectionUnit = "page" if len(pages) > 1 else "section"
    return ExtractedDocument("text", sections, {"section_count": len(sections)}, unit=unit)


def extract_markdown(text: str) -> ExtractedDocument:
    builder = SectionBuilder()
    paragraph: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _heading(line, paragraph)
        if heading is not None:
            builder.add_paragraph("\n".join(paragraph))
            paragraph = []
            builder.start_section(heading)
        elif not line.strip() and not in_fence:
            builder.add_paragraph("\n".join(paragraph))
            paragraph = []
        else:
            paragraph.append(line)
    builder.add_paragraph("\n".join(paragraph))
    sections = builder.build()
    return ExtractedDocument("markdown", sections, {"section_count": len(sections)})


def _heading(line: str, paragraph: list[str]) -> str | None:
    """An ATX heading's text; or, for a setext underline, the paragraph line above it."""
    atx = _ATX_HEADING.match(line)
    if atx:
        return atx.group(1) or ""
    if paragraph and len(paragraph) == 1 and _SETEXT_UNDERLINE.match(line):
        return paragraph.pop()
    return None
