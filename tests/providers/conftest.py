"""Provider fakes served over real HTTP on loopback, one fresh server per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from tests.fakes.transcription import FakeProvider, FakeSpeech
from tests.fakes.transcription_deepgram import FakeDeepgram
from tests.fakes.transcription_gemini import FakeGemini
from tests.fakes.transcription_whisper_api import FakeWhisperApi
from tests.paths import DATA

CORPUS = DATA

GROQ_KEY = "gsk_testGroqKey0123456789abcdef"
OPENAI_KEY = "sk-proj-testOpenAIKey0123456789"
DEEPGRAM_KEY = "dg0123456789abcdef0123456789abcdef0123"
GEMINI_KEY = "AIzaSyTestGeminiKey0123456789abcdef"

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
