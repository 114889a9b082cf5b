"""What extraction produces: a document as numbered sections (pages, slides, sheets …)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SectionUnit = Literal["page", "slide", "sheet", "section"]


@dataclass(frozen=True)
class Section:
    index: int
    """1-based: the page, slide or sheet number, or the n-th heading-delimited section."""
    title: str | None
    text: str


@dataclass(frozen=True)
class ExtractedDocument:
    kind: str
    """pdf, docx, pptx, xlsx, html, markdown, text or image."""
    sections: list[Section]
    metadata: dict[str, Any] = field(default_factory=dict)
    ocr_used: bool = False
    unit: SectionUnit = "section"

    @property
    def text(self) -> str:
        return "\n\n".join(section.text for section in self.sections if section.text)

    @property
    def word_count(self) -> int:
        return sum(len(section.text.split()) for section in self.sections)

    @property
    def has_text(self) -> bool:
        return any(section.text.strip() for section in self.sections)
