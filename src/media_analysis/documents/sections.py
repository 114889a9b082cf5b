"""Collects paragraphs under the most recent heading into numbered sections."""

from __future__ import annotations

import re

from media_analysis.documents.model import Section

_LEADING_BLANK_LINES = re.compile(r"^(?:[ \t]*\n)+")


class SectionBuilder:
    def __init__(self) -> None:
        self._finished: list[tuple[str | None, list[str]]] = []
        self._title: str | None = None
        self._paragraphs: list[str] = []

    def start_section(self, title: str) -> None:
        self._close_current()
        self._title = title.strip() or None

    def add_paragraph(self, text: str) -> None:
        if text.strip():
            # Leading spaces may be indentation (preformatted text, code); blank lines are not.
            self._paragraphs.append(_LEADING_BLANK_LINES.sub("", text.rstrip()))

    def build(self) -> list[Section]:
        self._close_current()
        return [
            Section(index=number, title=title, text="\n\n".join(paragraphs))
            for number, (title, paragraphs) in enumerate(self._finished, start=1)
        ]

    def _close_current(self) -> None:
        if self._title is not None or self._paragraphs:
            self._finished.append((self._title, self._paragraphs))
        self._title, self._paragraphs = None, []
