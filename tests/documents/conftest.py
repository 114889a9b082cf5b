"""Where the shared corpus is, and documents the tests write themselves."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from tests.paths import DATA

CORPUS = DATA

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text_page(lines: list[str], *, size: tuple[int, int] = (1240, 1754)) -> Image.Image:
    """A white A4-ish page at 150 dpi with ``lines`` in a large font, like a scan."""
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=56)
    for number, line in enumerate(lines):
        draw.text((100, 150 + number * 110), line, fill="black", font=font)
    return page
