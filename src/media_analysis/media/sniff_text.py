"""Recognise HTML, Markdown and plain text among files with no magic number."""

from __future__ import annotations

import re
from typing import Literal

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<!--)", re.IGNORECASE)
_MARKDOWN_HINTS = re.compile(
    r"^(#{1,6} \S|```|\s*[-*+] \S|\s*\d+\. \S|>\s)|\[[^\]]+\]\([^)]+\)|\*\*\S", re.MULTILINE
)

TextType = tuple[str, Literal["document"]]


def sniff_text(head: bytes) -> TextType | None:
    """``head`` as a text document, or None when it is binary."""
    text = _decode(head)
    if text is None:
        return None
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "text/html", "document"
    if len(_MARKDOWN_HINTS.findall(text)) >= 2:
        return "text/markdown", "document"
    return "text/plain", "document"


def _decode(head: bytes) -> str | None:
    if not head.strip() or b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # Only the last character may be cut in half by the read limit.
        if error.start < len(head) - 3:
            return None
        text = head[: error.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\r\n\t\f" for ch in text)
    return text if printable >= 0.95 * len(text) else None
