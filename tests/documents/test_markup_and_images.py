from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from media_analysis.documents.errors import DocumentEmpty, UnsupportedDocument
from media_analysis.documents.extract import extract_document
from media_analysis.errors import InvalidDocument
from tests.documents.conftest import text_page

HTML = """<!DOCTYPE html>
<html><head><title>Release &amp; notes</title>
<style>body { color: red }</style><script>var hidden = "never shown";</script></head>
<body>
<nav><a href="/">Home</a></nav>
<p>Intro   text
  across lines.</p>
<h2>Fixes <small>(v2)</small></h2>
<ul><li>Crash on <b>empty</b> files</li><li>Slow start&nbsp;up</li></ul>
<pre>  code
    indented</pre>
<h2>Known issues</h2><div>None so far<br>really.</div>
</body></html>
"""


async def test_html_text_is_split_at_headings(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")

    document = await extract_document(path, "text/html; charset=utf-8")

    assert document.metadata["title"] == "Release & notes"
    assert [(s.index, s.title) for s in document.sections] == [
        (1, None),
        (2, "Fixes (v2)"),
        (3, "Known issues"),
    ]
    assert document.sections[0].text == "Home\n\nIntro text across lines."
    assert document.sections[1].text == (
        "Crash on empty files\n\nSlow start up\n\n  code\n    indented"
    )
    assert document.sections[2].text == "None so far\nreally."
    assert "never shown" not in document.text and "color" not in document.text


MARKDOWN = """Preface line.

# Install

Run `pip install`.

```
# not a heading
```

Usage
-----

Call it.
"""


async def test_markdown_sections_follow_headings(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text(MARKDOWN, encoding="utf-8")

    document = await extract_document(path, "text/markdown")

    assert [(s.title, s.text) for s in document.sections] == [
        (None, "Preface line."),
        ("Install", "Run `pip install`.\n\n```\n# not a heading\n```"),
        ("Usage", "Call it."),
    ]


async def test_plain_text_pages_and_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Caf\u00e9 menu\r\n\fPage two \u2013 dessert".encode("cp1252"))

    document = await extract_document(path, "text/plain")

    assert document.unit == "page"
    assert [s.text for s in document.sections] == ["Caf\u00e9 menu", "Page two \u2013 dessert"]


async def test_binary_data_sent_as_text_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01\x02binary\x00")

    with pytest.raises(InvalidDocument):
        await extract_document(path, "text/plain")


async def test_whitespace_only_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n\t ")

    with pytest.raises(DocumentEmpty):
        await extract_document(path, "text/plain")


async def test_image_text_is_read_by_ocr(tmp_path: Path) -> None:
    path = tmp_path / "slide.png"
    text_page(["Meeting moved to Friday"], size=(1200, 300)).save(path)

    document = await extract_document(path, "image/png")

    assert document.kind == "image" and document.ocr_used
    assert document.text == "Meeting moved to Friday"
    assert document.metadata == {"width": 1200, "height": 300}


async def test_image_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "sky.png"
    Image.new("RGB", (400, 300), (90, 150, 230)).save(path)

    with pytest.raises(DocumentEmpty):
        await extract_document(path, "image/png")


async def test_unreadable_image_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")

    with pytest.raises(InvalidDocument):
        await extract_document(path, "image/jpeg")


async def test_unknown_type_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "archive.bin"
    path.write_bytes(b"PK\x03\x04whatever")

    with pytest.raises(UnsupportedDocument) as caught:
        await extract_document(path, "application/zip")

    assert caught.value.code == "unsupported_document"
