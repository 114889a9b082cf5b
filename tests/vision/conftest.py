"""Vision provider fakes on loopback, and small JPEG frames to send them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from PIL import Image, ImageDraw

from media_analysis.providers.vision import VisionImage, VisionRequest
from tests.fakes.vision import FakeMiniMax, FakeOpenAIChat, FakeVisionProvider

MINIMAX_KEY = "eyJhbGciOiJSUzI1NiJ9.minimaxTestKey0123456789"
OPENAI_KEY = "sk-vision-testKey0123456789abcdef"

F = TypeVar("F", bound=FakeVisionProvider)


@pytest.fixture
def minimax_fake(serve: Callable[[FakeMiniMax], FakeMiniMax]) -> FakeMiniMax:
    return serve(FakeMiniMax(api_key=MINIMAX_KEY, model="MiniMax-Text-01"))


@pytest.fixture
def openai_fake(serve: Callable[[FakeOpenAIChat], FakeOpenAIChat]) -> FakeOpenAIChat:
    return serve(FakeOpenAIChat(api_key=OPENAI_KEY, model="qwen2.5-vl-7b"))


def write_sheet(path: Path, colour: str) -> Path:
    image = Image.new("RGB", (320, 180), colour)
    ImageDraw.Draw(image).rectangle((40, 40, 120, 120), fill="white")
    image.save(path, "JPEG")
    return path


@pytest.fixture
def vision_request(tmp_path: Path) -> VisionRequest:
    images = [
        VisionImage(
            write_sheet(tmp_path / "sheet_1.jpg", "navy"),
            "image/jpeg",
            "sheet 1: tile 1 = frame 0 @ 00:00.0, tile 2 = frame 1 @ 00:00.3",
        ),
        VisionImage(write_sheet(tmp_path / "sheet_2.jpg", "darkgreen"), "image/jpeg", "sheet 2"),
    ]
    return VisionRequest(
        prompt="What happens in this video?",
        images=images,
        context_text="Transcript: hello there.",
    )
