"""Fake of Gemini ``POST /v1beta/models/{model}:generateContent`` with inline audio."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.transcription import FakeError, FakeProvider, RecordedRequest, json_answer

MODELS = frozenset({"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite"})
AUDIO_TYPES = frozenset(
    {"audio/wav", "audio/mp3", "audio/aiff", "audio/aac", "audio/ogg", "audio/flac"}
)
RPC = "type.googleapis.com/google.rpc."
QUOTA_METRIC = "generativelanguage.googleapis.com/generate_content_requests"
INLINE_REQUEST_LIMIT = 20 * 1024 * 1024

STATUS_ERRORS: dict[FakeError, tuple[int, str, str]] = {
    FakeError.QUOTA_EXHAUSTED: (
        400,
        "FAILED_PRECONDITION",
        "User location is not supported for the API use without a billing account linked.",
    ),
    FakeError.SERVER_ERROR: (500, "INTERNAL", "An internal error has occurred."),
    FakeError.UNAVAILABLE: (503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
}


@dataclass
class FakeGemini(FakeProvider):
    @property
    def app(self) -> Starlette:
        route = Route("/v1beta/models/{model}:generateContent", self.generate, methods=["POST"])
        return Starlette(routes=[route])

    async def generate(self, request: Request) -> Response:
        recorded = await self.record(request)
        if request.headers.get("x-goog-api-key") != self.api_key:
            return _key_invalid()
        violation = _protocol_violation(recorded, request.path_params["model"])
        if violation is not None:
            return violation
        error = self.next_error()
        if error is not None:
            return self._error(error)
        return JSONResponse(self._success_body(request.path_params["model"]))

    def _success_body(self, model: str) -> dict[str, Any]:
        answer = {
            "text": self.speech.text,
            "language": self.speech.language,
            "segments": [
                {"start": ws[0].start, "end": ws[-1].end, "text": " ".join(w.text for w in ws)}
                for ws in self.speech.sentences()
            ],
        }
        return {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": json.dumps(answer)}]},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "usageMetadata": _usage(),
            "modelVersion": model,
            "responseId": "fake-response-1",
        }

    def _error(self, error: FakeError) -> Response:
        if error is FakeError.RATE_LIMITED:
            return self._resource_exhausted()
        if error is FakeError.BLOCKED:
            return JSONResponse(
                {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "usageMetadata": _usage()}
            )
        if error is FakeError.GARBLED:
            return JSONResponse({"candidates": [{"content": {"parts": [{"text": "Sure! Here"}]}}]})
        if error is FakeError.TOO_LARGE:
            return _too_large()
        status, name, message = STATUS_ERRORS[error]
        return _google_error(status, name, message)

    def _resource_exhausted(self) -> Response:
        details: list[dict[str, Any]] = [
            {
                "@type": RPC + "QuotaFailure",
                "violations": [
                    {
                        "quotaMetric": QUOTA_METRIC,
                        "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                    }
                ],
            }
        ]
        if self.retry_after is not None:
            details.append({"@type": RPC + "RetryInfo", "retryDelay": f"{self.retry_after:g}s"})
        message = "You exceeded your current quota, please check your plan and billing details."
        return _google_error(429, "RESOURCE_EXHAUSTED", message, details)


def _protocol_violation(recorded: RecordedRequest, model: str) -> Response | None:
    if recorded.headers.get("content-type") != "application/json":
        return _invalid("Invalid JSON payload received.")
    if len(recorded.body) > INLINE_REQUEST_LIMIT:
        return _too_large()
    if model not in MODELS:
        message = f"models/{model} is not found for API version v1beta."
        return _google_error(404, "NOT_FOUND", message)
    try:
        request = json.loads(recorded.body)
        parts = request["contents"][0]["parts"]
        audio = next(p.get("inline_data") or p.get("inlineData") for p in parts if _is_audio(p))
        config = request.get("generationConfig") or request["generation_config"]
        base64.b64decode(audio["data"], validate=True)
    except (KeyError, IndexError, StopIteration, TypeError, ValueError, binascii.Error):
        return _invalid("Request contains an invalid argument.")
    if audio.get("mime_type", audio.get("mimeType")) not in AUDIO_TYPES:
        return _invalid("Unsupported MIME type.")
    if config.get("responseMimeType") != "application/json" or "responseSchema" not in config:
        return _invalid("The fake only answers JSON-schema transcription requests.")
    return None


def _is_audio(part: dict[str, Any]) -> bool:
    return "inline_data" in part or "inlineData" in part


def _usage() -> dict[str, Any]:
    return {
        "promptTokenCount": 360,
        "candidatesTokenCount": 40,
        "totalTokenCount": 400,
        "promptTokensDetails": [{"modality": "AUDIO", "tokenCount": 352}],
    }


def _key_invalid() -> Response:
    details = [
        {
            "@type": RPC + "ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
            "metadata": {"service": "generativelanguage.googleapis.com"},
        }
    ]
    message = "API key not valid. Please pass a valid API key."
    return _google_error(400, "INVALID_ARGUMENT", message, details)


def _too_large() -> Response:
    return _invalid("Request payload size exceeds the limit: 20971520 bytes.")


def _invalid(message: str) -> Response:
    return _google_error(400, "INVALID_ARGUMENT", message)


def _google_error(
    status: int, name: str, message: str, details: list[dict[str, Any]] | None = None
) -> Response:
    error: dict[str, Any] = {"code": status, "message": message, "status": name}
    if details:
        error["details"] = details
    return json_answer(status, {"error": error})
