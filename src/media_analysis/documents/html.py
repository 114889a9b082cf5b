"""HTML through the standard library's event parser: visible text, split at headings.

Being event-driven, it copes with broken markup and any nesting depth. Script, style
and similar invisible elements are dropped; block elements end a paragraph; ``<pre>``
keeps its line breaks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from media_analysis.documents.model import ExtractedDocument
from media_analysis.documents.sections import SectionBuilder

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
INVISIBLE = {"script", "style", "noscript", "template", "svg", "iframe", "object"}
BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tr", "ul", "td", "th", "caption", "summary", "details",
}  # fmt: skip
_SPACES = re.compile(r"\s+")
# Marks a <br> until whitespace is collapsed; decode_text refuses NUL, so data never has it.
LINE_BREAK = "\x00"


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections = SectionBuilder()
        self.title = ""
        self._in_title = False
        self._invisible_depth = 0
        self._pre_depth = 0
        self._heading: list[str] | None = None
        self._paragraph: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INVISIBLE:
            self._invisible_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in HEADINGS:
            self._end_paragraph()
            self._heading = []
        elif tag == "br":
            self._paragraph.append(LINE_BREAK)
        elif tag in BLOCKS:
            self._end_paragraph()
            if tag == "pre":
                self._pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE:
            self._invisible_depth = max(0, self._invisible_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in HEADINGS and self._heading is not None:
            self.sections.start_section(_collapse("".join(self._heading)))
            self._heading = None
        elif tag in BLOCKS:
            self._end_paragraph()
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._invisible_depth:
            return
        elif self._heading is not None:
            self._heading.append(data)
        else:
            self._paragraph.append(data)

    def finish(self) -> None:
        self.close()
        if self._heading is not None:
            self.sections.start_section(_collapse("".join(self._heading)))
        self._end_paragraph()

    def _end_paragraph(self) -> None:
        raw = "".join(self._paragraph)
        self._paragraph = []
        if self._pre_depth:
            text = raw.replace(LINE_BREAK, "\n").strip("\n")
        else:
            text = "\n".join(_collapse(line) for line in raw.split(LINE_BREAK) if line.strip())
        self.sections.add_paragraph(text)


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def extract_html(markup: str) -> ExtractedDocument:
    collector = _TextCollector()
    collector.feed(markup)
    collector.finish()
    sections = collector.sections.build()
    title = _collapse(collector.title)
    metadata = {"section_count": len(sections)} | ({"title": title} if title else {})
    return ExtractedDocument("html", sections, metadata)
