"""Google Gemini: transcription by prompting ``generateContent`` with inline audio."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from media_analysis.providers.failure_rules import classify_bad_request
from media_analysis.providers.failures import CallerFault, FailureKind, ProviderFailure
from media_analysis.providers.gemini_prompt import parse_model_answer, transcription_request
from media_analysis.providers.provider_http import HttpProvider, json_body
from media_analysis.providers.rate_limits import parse_protobuf_duration
from media_analysis.providers.settings import MIB, ProviderSettings
from media_analysis.providers.transcription import Transcript

ERROR_DETAIL_TYPE = "type.googleapis.com/google.rpc."
# Inline requests are capped at 20 MB; base64 makes audio a third larger.
INLINE_AUDIO_LIMIT = 14 * MIB
REFUSAL_FINISH_REASONS = frozenset(
    {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"}
)


@dataclass(frozen=True, kw_only=True)
class GeminiSettings(ProviderSettings):
    base_url: str = "https://generativelanguage.googleapis.com"
    model: str = "gemini-2.5-flash"
    max_upload_bytes: int = INLINE_AUDIO_LIMIT


class GeminiTranscriber(HttpProvider):
    """Words are absent (``words=None``): Gemini's timings are generated, not measured."""

    name = "gemini"

    def __init__(
        self, settings: GeminiSettings, *, client: httpx.AsyncClient | None = None
    ) -> None:
        super().__init__(settings, client)

    async def transcribe(self, audio: Path, *, mime_type: str, language: str | None) -> Transcript:
        content = await asyncio.to_thread(audio.read_bytes)
        response = await self._http.post(
            self._settings.url(f"/v1beta/models/{self.model}:generateContent"),
            headers={"x-goog-api-key": self._settings.api_key},
            json=transcription_request(content, mime_type=mime_type, language=language),
        )
        if response.is_error:
            raise self._failure(response)
        body = json_body(response)
        answer = self._model_answer(body, response)
        try:
            text, detected, segments = parse_model_answer(answer)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise self._http.unexpected_body(response) from None
        return Transcript(
            text=text,
            language=detected or language,
            confidence=None,
            duration=None,
            words=None,
            segments=segments,
            provider=self.name,
            model=self.model,
        )

    def _model_answer(self, body: Any, response: httpx.Response) -> str:
        if not isinstance(body, dict):
            raise self._http.unexpected_body(response)
        block_reason = (body.get("promptFeedback") or {}).get("blockReason")
        if block_reason:
            raise self._refusal(f"prompt blocked: {block_reason}", block_reason)
        candidates = body.get("candidates") or []
        if not candidates or not isinstance(candidates[0], dict):
            raise self._http.unexpected_body(response)
        candidate = candidates[0]
        parts = (candidate.get("content") or {}).get("parts") or []
        answer = "".join(str(part.get("text", "")) for part in parts if isinstance(part, dict))
        finish_reason = candidate.get("finishReason")
        if not answer and finish_reason in REFUSAL_FINISH_REASONS:
            raise self._refusal(f"answer withheld: {finish_reason}", finish_reason)
        return answer

    def _refusal(self, message: str, code: str) -> ProviderFailure:
        return self._http.failure(
            "caller", message, status=200, provider_code=code, caller_fault="content_refused"
        )

    def _failure(self, response: httpx.Response) -> ProviderFailure:
        error = _error_object(json_body(response))
        message = str(error.get("message") or response.reason_phrase)
        reasons = _error_reasons(error)
        code = reasons[0] if reasons else error.get("status")
        return self._http.status_failure(
            response,
            message,
            provider_code=None if code is None else str(code),
            reading=_bad_request_kind(error, message) if response.status_code == 400 else None,
            retry_after=_retry_delay(error),
        )


def _bad_request_kind(
    error: dict[str, Any], message: str
) -> tuple[FailureKind, CallerFault | None]:
    if "API_KEY_INVALID" in _error_reasons(error) or error.get("status") == "FAILED_PRECONDITION":
        return "auth", None
    if "exceeds" in message.lower() and "size" in message.lower():
        return "too_large", None
    return classify_bad_request(message, language=None)


def _error_object(body: Any) -> dict[str, Any]:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _error_details(error: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    details = error.get("details") or []
    wanted = ERROR_DETAIL_TYPE + kind
    return [d for d in details if isinstance(d, dict) and d.get("@type") == wanted]


def _error_reasons(error: dict[str, Any]) -> list[str]:
    return [str(d["reason"]) for d in _error_details(error, "ErrorInfo") if d.get("reason")]


def _retry_delay(error: dict[str, Any]) -> float | None:
    for detail in _error_details(error, "RetryInfo"):
        delay = parse_protobuf_duration(detail.get("retryDelay"))
        if delay is not None:
            return delay
    return None
