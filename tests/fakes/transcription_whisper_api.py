"""Fake of the OpenAI ``/audio/transcriptions`` protocol, as OpenAI and Groq speak it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.transcription import (
    FakeError,
    FakeProvider,
    RecordedRequest,
    UploadedFile,
    json_answer,
)

GROQ_MODELS = frozenset({"whisper-large-v3-turbo", "whisper-large-v3"})
OPENAI_MODELS = frozenset(
    {"whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-transcribe-diarize"}
)
# The language names whisper-1 reports in verbose_json.
LANGUAGE_NAMES = {"en": "english", "fr": "french", "de": "german", "es": "spanish"}
AVG_LOGPROB = -0.25


@dataclass
class FakeWhisperApi(FakeProvider):
    """``flavour`` is "groq" (path /openai/v1/...) or "openai" (path /v1/...)."""

    flavour: str = "groq"
    rate_limit_headers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        prefix = "/openai/v1" if self.flavour == "groq" else "/v1"
        return prefix + "/audio/transcriptions"

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route(self.path, self.transcriptions, methods=["POST"])])

    async def transcriptions(self, request: Request) -> Response:
        await request.body()
        form = await request.form()
        fields, files = _split_form(form.multi_items())
        recorded = await self.record(request, form=fields, files=files)
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self._unauthorized(request.headers.get("authorization", ""))
        violation = self._protocol_violation(recorded)
        if violation is not None:
            return violation
        error = self.next_error()
        if error is not None:
            return self._error(error, recorded)
        return JSONResponse(self._success_body(recorded), headers=self._ratelimit_headers())

    def _protocol_violation(self, recorded: RecordedRequest) -> Response | None:
        model = _single(recorded.form, "model")
        known = GROQ_MODELS if self.flavour == "groq" else OPENAI_MODELS
        if "file" not in recorded.files or not recorded.files["file"].content:
            return self._invalid("you must provide a 'file' (audio bytes)", "file")
        if model not in known:
            message = f"The model `{model}` does not exist or you do not have access to it."
            return json_answer(404, _error(message, "invalid_request_error", "model_not_found"))
        response_format = _single(recorded.form, "response_format") or "json"
        if response_format == "verbose_json" and model.startswith("gpt-4o"):
            message = (
                f"response_format 'verbose_json' is not compatible with model '{model}'. "
                "Use 'json' or 'text' instead."
            )
            return self._invalid(message, "response_format")
        if recorded.form.get("timestamp_granularities[]") and response_format != "verbose_json":
            return self._invalid("timestamp_granularities requires verbose_json", "response_format")
        return None

    def _success_body(self, recorded: RecordedRequest) -> dict[str, Any]:
        if _single(recorded.form, "response_format") != "verbose_json":
            return {"text": self.speech.text, "usage": {"type": "duration", "seconds": 3}}
        granularities = recorded.form.get("timestamp_granularities[]", ["segment"])
        body: dict[str, Any] = {
            "task": "transcribe",
            "language": self._language_name(),
            "duration": self.speech.duration,
            "text": " " + self.speech.text,
        }
        if "segment" in granularities:
            body["segments"] = self._segments()
        if "word" in granularities:
            body["words"] = [
                {"word": " " + w.text, "start": w.start, "end": w.end} for w in self.speech.words
            ]
        if self.flavour == "groq":
            body["x_groq"] = {"id": "req_01fake"}
        return body

    def _segments(self) -> list[dict[str, Any]]:
        return [
            {
                "id": index,
                "seek": 0,
                "start": words[0].start,
                "end": words[-1].end,
                "text": " " + " ".join(w.text for w in words),
                "tokens": [50364 + index],
                "temperature": 0.0,
                "avg_logprob": AVG_LOGPROB,
                "compression_ratio": 1.1,
                "no_speech_prob": 0.01,
            }
            for index, words in enumerate(self.speech.sentences())
        ]

    def _language_name(self) -> str:
        name = LANGUAGE_NAMES.get(self.speech.language, self.speech.language)
        return name.capitalize() if self.flavour == "groq" else name

    def _ratelimit_headers(self) -> dict[str, str]:
        defaults = {
            "x-ratelimit-limit-requests": "2000",
            "x-ratelimit-limit-tokens": "7200",
            "x-ratelimit-remaining-requests": "1999",
            "x-ratelimit-remaining-tokens": "7180",
            "x-ratelimit-reset-requests": "43.2ms",
            "x-ratelimit-reset-tokens": "6m0s",
        }
        return defaults | self.rate_limit_headers

    def _unauthorized(self, presented: str) -> Response:
        key = presented.removeprefix("Bearer ")
        if self.flavour == "groq":
            message = "Invalid API Key"
        else:
            masked = key[:3] + "*" * max(0, len(key) - 7) + key[-4:]
            message = (
                f"Incorrect API key provided: {masked}. You can find your API key at "
                "https://platform.openai.com/account/api-keys."
            )
        return json_answer(401, _error(message, "invalid_request_error", "invalid_api_key"))

    def _invalid(self, message: str, param: str | None = None) -> Response:
        return json_answer(400, _error(message, "invalid_request_error", None, param))

    def _error(self, error: FakeError, recorded: RecordedRequest) -> Response:
        if error is FakeError.RATE_LIMITED:
            return self._rate_limited()
        if error is FakeError.QUOTA_EXHAUSTED:
            message = "You exceeded your current quota, please check your plan and billing details."
            return json_answer(429, _error(message, "insufficient_quota", "insufficient_quota"))
        if error is FakeError.CORRUPT_AUDIO:
            if self.flavour == "groq":
                return self._invalid("could not process file - is it a valid media file?", "file")
            return self._invalid(
                "The audio file could not be decoded or its format is not supported."
            )
        if error is FakeError.UNSUPPORTED_LANGUAGE:
            language = _single(recorded.form, "language")
            return self._invalid(f"Language '{language}' is not supported.", "language")
        if error is FakeError.GARBLED:
            return Response(
                "<html><body>502 Bad Gateway</body></html>", 200, media_type="text/html"
            )
        return self._status_error(error)

    def _status_error(self, error: FakeError) -> Response:
        answers = {
            FakeError.SERVER_ERROR: (500, "The server had an error while processing your request."),
            FakeError.UNAVAILABLE: (503, "Service Unavailable"),
            FakeError.TOO_LARGE: (413, "Request Entity Too Large"),
        }
        status, message = answers[error]
        kind = "server_error" if status >= 500 else "invalid_request_error"
        return json_answer(status, _error(message, kind, None))

    def _rate_limited(self) -> Response:
        headers = self._ratelimit_headers() | {"x-ratelimit-remaining-requests": "0"}
        if self.retry_after is not None:
            headers["retry-after"] = str(math.ceil(self.retry_after))
        message = "Rate limit reached for requests. Please try again later."
        return json_answer(429, _error(message, "requests", "rate_limit_exceeded"), headers)


def _error(message: str, kind: str, code: str | None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def _single(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name)
    return values[0] if values else None


def _split_form(
    items: list[tuple[str, Any]],
) -> tuple[dict[str, list[str]], dict[str, UploadedFile]]:
    fields: dict[str, list[str]] = {}
    files: dict[str, UploadedFile] = {}
    for name, value in items:
        if isinstance(value, UploadFile):
            content = value.file.read()
            files[name] = UploadedFile(value.filename, value.content_type, content)
        else:
            fields.setdefault(name, []).append(str(value))
    return fields, files
