"""Fake of Deepgram's pre-recorded ``POST /v1/listen`` (raw audio body, Token auth)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.transcription import FakeError, FakeProvider, RecordedRequest, json_answer

LISTEN_PATH = "/v1/listen"
MODELS = frozenset({"nova-3", "nova-2", "base", "enhanced"})

ERRORS: dict[FakeError, tuple[int, str, str]] = {
    FakeError.QUOTA_EXHAUSTED: (
        402,
        "ASR_PAYMENT_REQUIRED",
        "Project does not have enough credits for an ASR request.",
    ),
    FakeError.CORRUPT_AUDIO: (
        400,
        "Bad Request",
        "Bad Request: failed to process audio: corrupt or unsupported data",
    ),
    FakeError.UNSUPPORTED_LANGUAGE: (
        400,
        "Bad Request",
        "No such model/language/tier combination found.",
    ),
    FakeError.UPLOAD_INTERRUPTED: (
        422,
        "ASR_UNPROCESSABLE_ENTITY",
        "The request was interrupted or incomplete.",
    ),
    FakeError.TOO_LARGE: (413, "PAYLOAD_TOO_LARGE", "Payload exceeds the maximum size."),
    FakeError.RATE_LIMITED: (429, "TOO_MANY_REQUESTS", "Too many requests. Please try again later"),
    FakeError.SERVER_ERROR: (500, "INTERNAL_SERVER_ERROR", "Internal server error."),
    FakeError.UNAVAILABLE: (503, "SERVICE_UNAVAILABLE", "Service unavailable."),
}


@dataclass
class FakeDeepgram(FakeProvider):
    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route(LISTEN_PATH, self.listen, methods=["POST"])])

    async def listen(self, request: Request) -> Response:
        recorded = await self.record(request)
        if request.headers.get("authorization") != f"Token {self.api_key}":
            return _error_answer(401, "INVALID_AUTH", "Invalid credentials.")
        violation = _protocol_violation(recorded)
        if violation is not None:
            return violation
        error = self.next_error()
        if error is FakeError.GARBLED:
            return JSONResponse({"metadata": {"request_id": str(uuid.uuid4())}})
        if error is not None:
            status, code, message = ERRORS[error]
            headers = (
                {"retry-after": f"{self.retry_after:g}"}
                if status == 429 and (self.retry_after is not None)
                else None
            )
            return _error_answer(status, code, message, headers)
        return JSONResponse(self._success_body(recorded))

    def _success_body(self, recorded: RecordedRequest) -> dict[str, Any]:
        channel: dict[str, Any] = {"alternatives": [self._alternative()]}
        if recorded.query.get("detect_language") == ["true"]:
            channel |= {"detected_language": self.speech.language, "language_confidence": 0.97}
        results: dict[str, Any] = {"channels": [channel]}
        if recorded.query.get("utterances") == ["true"]:
            results["utterances"] = self._utterances()
        return {"metadata": self._metadata(recorded), "results": results}

    def _alternative(self) -> dict[str, Any]:
        words = [
            {
                "word": w.text.lower().strip(".,?!"),
                "start": w.start,
                "end": w.end,
                "confidence": w.confidence,
                "punctuated_word": w.text,
            }
            for w in self.speech.words
        ]
        return {"transcript": self.speech.text, "confidence": 0.9921, "words": words}

    def _utterances(self) -> list[dict[str, Any]]:
        return [
            {
                "start": words[0].start,
                "end": words[-1].end,
                "confidence": 0.99,
                "channel": 0,
                "transcript": " ".join(w.text for w in words),
                "id": str(uuid.uuid4()),
            }
            for words in self.speech.sentences()
        ]

    def _metadata(self, recorded: RecordedRequest) -> dict[str, Any]:
        model_uuid = str(uuid.uuid4())
        return {
            "transaction_key": "deprecated",
            "request_id": str(uuid.uuid4()),
            "sha256": hashlib.sha256(recorded.body).hexdigest(),
            "created": "2025-01-01T00:00:00.000Z",
            "duration": self.speech.duration,
            "channels": 1,
            "models": [model_uuid],
            "model_info": {
                model_uuid: {"name": "general-nova-3", "version": "1", "arch": "nova-3"}
            },
        }


def _protocol_violation(recorded: RecordedRequest) -> Response | None:
    content_type = recorded.headers.get("content-type", "")
    if content_type == "application/json" or not content_type.startswith("audio/"):
        return _category_error("INVALID_JSON", "Invalid JSON submitted.", content_type)
    if not recorded.body:
        return _error_answer(400, "Bad Request", "Bad Request: no audio was sent.")
    model = recorded.query.get("model", ["base"])[0]
    if model not in MODELS:
        return _error_answer(400, "Bad Request", "No such model/language/tier combination found.")
    return None


def _error_answer(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    body = {"err_code": code, "err_msg": message, "request_id": str(uuid.uuid4())}
    return json_answer(status, body, headers)


def _category_error(category: str, message: str, details: str) -> Response:
    body = {
        "category": category,
        "message": message,
        "details": f"unexpected content type {details!r}",
        "request_id": str(uuid.uuid4()),
    }
    return json_answer(400, body)
