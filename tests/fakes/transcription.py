"""What the transcription fakes share: the speech they "hear", error modes, request records.

Each fake (transcription_whisper_api, transcription_deepgram, transcription_gemini) answers
with the text of ``FakeProvider.speech``, which every test sets itself, so nothing in the
client under test can know the expected answer in advance.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp


class FakeError(StrEnum):
    RATE_LIMITED = "rate_limited"
    QUOTA_EXHAUSTED = "quota_exhausted"
    SERVER_ERROR = "server_error"
    UNAVAILABLE = "unavailable"
    TOO_LARGE = "too_large"
    CORRUPT_AUDIO = "corrupt_audio"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    UPLOAD_INTERRUPTED = "upload_interrupted"
    MODEL_NOT_FOUND = "model_not_found"
    BLOCKED = "blocked"
    GARBLED = "garbled"


@dataclass(frozen=True)
class SpokenWord:
    text: str
    start: float
    end: float
    confidence: float = 0.93


@dataclass
class FakeSpeech:
    words: list[SpokenWord]
    language: str = "en"

    @classmethod
    def from_text(
        cls, text: str, *, language: str = "en", start: float = 0.0, seconds_per_word: float = 0.4
    ) -> FakeSpeech:
        words = [
            SpokenWord(word, start + i * seconds_per_word, start + (i + 1) * seconds_per_word)
            for i, word in enumerate(text.split())
        ]
        return cls(words, language)

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def duration(self) -> float:
        return self.words[-1].end + 0.5 if self.words else 1.0

    def sentences(self, words_per_segment: int = 5) -> list[list[SpokenWord]]:
        return [
            self.words[i : i + words_per_segment]
            for i in range(0, len(self.words), words_per_segment)
        ]


@dataclass(frozen=True)
class UploadedFile:
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    form: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    client_port: int | None = None  # which TCP connection carried the request


@dataclass
class FakeProvider:
    """``error`` answers ``error_times`` requests (None: all of them) before answering normally."""

    api_key: str
    base_url: str = ""
    speech: FakeSpeech = field(default_factory=lambda: FakeSpeech([]))
    error: FakeError | None = None
    error_times: int | None = None
    retry_after: float | None = 2.0
    delay: float = 0.0
    requests: list[RecordedRequest] = field(default_factory=list)

    @property
    def app(self) -> ASGIApp:
        raise NotImplementedError("each provider fake builds its own Starlette app")

    def fail_with(
        self, error: FakeError, *, times: int | None = None, retry_after: float | None = 2.0
    ) -> None:
        self.error, self.error_times, self.retry_after = error, times, retry_after

    def next_error(self) -> FakeError | None:
        if self.error is None:
            return None
        if self.error_times is not None:
            if self.error_times <= 0:
                return None
            self.error_times -= 1
        return self.error

    async def record(self, request: Request, **parsed: Any) -> RecordedRequest:
        query: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            query.setdefault(key, []).append(value)
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            query=query,
            headers=dict(request.headers),
            body=await request.body(),
            client_port=request.client.port if request.client else None,
            **parsed,
        )
        self.requests.append(recorded)
        if self.delay:
            await asyncio.sleep(self.delay)
        return recorded


def json_answer(status: int, body: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)
