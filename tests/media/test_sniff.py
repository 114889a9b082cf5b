from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from media_analysis.media.sniff import sniff_bytes, sniff_file
from tests.media import clips


@pytest.mark.parametrize(
    ("name", "mime_type", "kind"),
    [
        ("bigbuckbunny.mp4", "video/mp4", "video"),
        ("jfk.wav", "audio/wav", "audio"),
        ("jfk.flac", "audio/flac", "audio"),
        ("crazyones.pdf", "application/pdf", "document"),
        ("par-hyperlinks.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document"),
        ("crazyones.expected.txt", "text/plain", "document"),
        ("SOURCES.md", "text/markdown", "document"),
    ],
)  # fmt: skip
def test_corpus_files(name: str, mime_type: str, kind: str) -> None:
    assert sniff_file(clips.CORPUS / name) == (mime_type, kind)


def test_content_wins_over_the_name(tmp_path: Path) -> None:
    disguised = tmp_path / "notes.txt"
    shutil.copyfile(clips.CORPUS / "bigbuckbunny.mp4", disguised)

    assert sniff_file(disguised).kind == "video"


@pytest.mark.parametrize(("pil_format", "mime_type"), [
    ("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif"),
])  # fmt: skip
def test_images(pil_format: str, mime_type: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, pil_format)

    assert sniff_bytes(buffer.getvalue()) == (mime_type, "image")


def test_generated_media(mp3_named_mp4: Path, variable_rate_video: Path) -> None:
    assert sniff_file(mp3_named_mp4) == ("audio/mpeg", "audio")
    assert sniff_file(variable_rate_video) == ("video/x-matroska", "video")


@pytest.mark.parametrize(
    ("head", "mime_type"),
    [
        (b"<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
        (b"  <html lang='en'>", "text/html"),
        (b"# Title\n\nSome *text* and a [link](https://example.com).\n\n- item\n", "text/markdown"),
        ("Plain words, caf\u00e9.\n".encode(), "text/plain"),
        (b"{\\rtf1\\ansi hello}", "application/rtf"),
    ],
)
def test_text_documents(head: bytes, mime_type: str) -> None:
    assert sniff_bytes(head) == (mime_type, "document")


@pytest.mark.parametrize("head", [b"", b"\x00\x01\x02\x03" * 100, bytes(range(256))])
def test_unknown_binary(head: bytes) -> None:
    assert sniff_bytes(head) == ("application/octet-stream", "unknown")


def test_plain_zip_is_not_a_document(tmp_path: Path) -> None:
    archive = tmp_path / "archive.docx"
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr("readme.txt", "hello")

    assert sniff_file(archive) == ("application/zip", "unknown")
