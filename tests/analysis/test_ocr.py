from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from media_analysis.analysis.frames import FrameRef
from media_analysis.analysis.measure import read_text_in_frames
from media_analysis.analysis.ocr import OcrLine, joined_text, read_text


def text_image(text: str, *, size: tuple[int, int] = (640, 200)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((30, 60), text, fill="black", font=ImageFont.load_default(size=64))
    return image


async def test_reads_text_rendered_into_an_image() -> None:
    lines = await read_text(text_image("HELLO 2026"))

    assert joined_text(lines) == "HELLO 2026"
    assert lines[0].confidence > 0.8
    left, top = lines[0].box[0]
    assert 10 < left < 60 and 40 < top < 100


async def test_blank_image_has_no_text() -> None:
    assert await read_text(Image.new("RGB", (320, 240), "white")) == []


async def test_text_in_frames_keeps_timestamps_and_drops_repeats(tmp_path: Path) -> None:
    texts = ["", "OPENING", "OPENING", "CREDITS"]
    frames = []
    for index, text in enumerate(texts):
        path = tmp_path / f"frame_{index}.png"
        text_image(text).save(path)
        frames.append(FrameRef(path, index, index * 0.5))

    found = await read_text_in_frames(frames)

    assert [(item.frame_index, item.timestamp_seconds, item.text) for item in found] == [
        (1, 0.5, "OPENING"),
        (3, 1.5, "CREDITS"),
    ]


def test_boxes_on_one_line_are_joined_in_reading_order() -> None:
    def box(text: str, left: float, top: float) -> OcrLine:
        corners = ((left, top), (left + 100, top), (left + 100, top + 40), (left, top + 40))
        return OcrLine(text, 0.99, corners)

    lines = [box("right", 300, 102), box("below", 0, 200), box("left", 0, 100)]

    assert joined_text(lines) == "left right\nbelow"
