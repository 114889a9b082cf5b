"""Provider fakes served over real HTTP on loopback, one fresh server per test.

Transcription fakes hear a scripted speech; vision fakes see small JPEG contact sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PIL import Image, ImageDraw

from media_analysis.providers.vision import VisionImage, VisionRequest
from tests.fakes.transcription import FakeProvider, FakeSpeech
from tests.fakes.transcription_deepgram import FakeDeepgram
from tests.fakes.transcription_gemini import FakeGemini
from tests.fakes.transcription_whisper_api import FakeWhisperApi
from tests.fakes.vision import FakeMiniMax, FakeOpenAIChat
from tests.paths import DATA

CORPUS = DATA

GROQ_KEY = "gsk_testGroqKey0123456789abcdef"
OPENAI_KEY = "sk-proj-testOpenAIKey0123456789"
DEEPGRAM_KEY = "dg0123456789abcdef0123456789abcdef0123"
GEMINI_KEY = "AIzaSyTestGeminiKey0123456789abcdef"
MINIMAX_KEY = "eyJhbGciOiJSUzI1NiJ9.minimaxTestKey0123456789"
OPENAI_VISION_KEY = "sk-vision-testKey0123456789abcdef"

# Settings that never pick up a provider key from the environment.
NO_PROVIDER_KEYS: dict[str, Any] = {
    "groq_api_key": "",
    "deepgram_api_key": "",
    "openai_api_key": "",
    "gemini_api_key": "",
}

F = TypeVar("F", bound=FakeProvider)


@pytest.fixture
def groq_fake(serve: Callable[[FakeWhisperApi], FakeWhisperApi]) -> FakeWhisperApi:
    return serve(FakeWhisperApi(api_key=GROQ_KEY, flavour="groq"))


@pytest.fixture
def openai_fake(serve: Callable[[FakeWhisperApi], FakeWhisperApi]) -> FakeWhisperApi:
    return serve(FakeWhisperApi(api_key=OPENAI_KEY, flavour="openai"))


@pytest.fixture
def deepgram_fake(serve: Callable[[FakeDeepgram], FakeDeepgram]) -> FakeDeepgram:
    return serve(FakeDeepgram(api_key=DEEPGRAM_KEY))


@pytest.fixture
def gemini_fake(serve: Callable[[FakeGemini], FakeGemini]) -> FakeGemini:
    return serve(FakeGemini(api_key=GEMINI_KEY))


@pytest.fixture
def minimax_fake(serve: Callable[[FakeMiniMax], FakeMiniMax]) -> FakeMiniMax:
    return serve(FakeMiniMax(api_key=MINIMAX_KEY, model="MiniMax-Text-01"))


@pytest.fixture
def openai_vision_fake(serve: Callable[[FakeOpenAIChat], FakeOpenAIChat]) -> FakeOpenAIChat:
    return serve(FakeOpenAIChat(api_key=OPENAI_VISION_KEY, model="qwen2.5-vl-7b"))


@pytest.fixture
def speech() -> FakeSpeech:
    return FakeSpeech.from_text(
        "Turn left at the old mill, then follow the river until you reach the bridge.",
        start=0.32,
    )


@pytest.fixture
def audio_file(tmp_path: Path) -> Path:
    """Bytes the fakes receive and echo back in their records; they never decode them."""
    path = tmp_path / "speech.wav"
    path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 8)
    return path


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


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
