"""The OpenAI ``/audio/transcriptions`` multipart protocol, spoken by OpenAI and Groq."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from media_analysis.providers.failure_rules import classify_bad_request
from media_analysis.providers.failures import CallerFault, FailureKind, ProviderFailure
from media_analysis.providers.provider_http import HttpProvider, json_body
from media_analysis.providers.rate_limits import ratelimit_reset_hint, retry_after_header
from media_analysis.providers.settings import ProviderSettings
from media_analysis.providers.transcription import Transcript
from media_analysis.providers.whisper_json import transcript_from_whisper_json

TRANSCRIPTIONS_PATH = "/audio/transcriptions"


class OpenAICompatibleTranscriber(HttpProvider):
    """``supports_timestamps(model)`` says whether the model can answer ``verbose_json``."""

    def __init__(
        self,
        name: str,
        settings: ProviderSettings,
        *,
        supports_timestamps: Callable[[str], bool],
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.name = name
        self._supports_timestamps = supports_timestamps
        super().__init__(settings, client)

    async def transcribe(self, audio: Path, *, mime_type: str, language: str | None) -> Transcript:
        content = await asyncio.to_thread(audio.read_bytes)
        verbose = self._supports_timestamps(self.model)
        response = await self._http.post(
            self._settings.url(TRANSCRIPTIONS_PATH),
            headers={"Authorization": f"Bearer {self._settings.api_key}"},
            data=self._form_fields(language, verbose=verbose),
            files={"file": (audio.name, content, mime_type)},
        )
        if response.is_error:
            raise self._failure(response, language)
        return self._transcript(response, language, verbose=verbose)

    def _form_fields(self, language: str | None, *, verbose: bool) -> dict[str, Any]:
        fields: dict[str, Any] = {"model": self.model, "temperature": "0"}
        if language:
            fields["language"] = language
        if verbose:
            fields["response_format"] = "verbose_json"
            fields["timestamp_granularities[]"] = ["word", "segment"]
        else:
            fields["response_format"] = "json"
        return fields

    def _transcript(
        self, response: httpx.Response, language: str | None, *, verbose: bool
    ) -> Transcript:
        body = json_body(response)
        try:
            return transcript_from_whisper_json(
                body,
                provider=self.name,
                model=self.model,
                requested_language=language,
                with_timestamps=verbose,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise self._http.unexpected_body(response) from None

    def _failure(self, response: httpx.Response, language: str | None) -> ProviderFailure:
        message, code = _error_fields(json_body(response), response)
        reading: tuple[FailureKind, CallerFault | None] | None = None
        if response.status_code == 400:
            reading = classify_bad_request(message, language=language)
        elif response.status_code == 429 and code == "insufficient_quota":
            reading = ("auth", None)  # out of credit, not throttled (PROVIDERS.md §6)
        headers = response.headers
        return self._http.status_failure(
            response,
            message,
            provider_code=code,
            reading=reading,
            retry_after=retry_after_header(headers) or ratelimit_reset_hint(headers),
        )


def _error_fields(body: Any, response: httpx.Response) -> tuple[str, str | None]:
    """``{"error": {"message", "type", "code"}}`` → (message, code or type)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return response.reason_phrase or "error without a body", None
    code = error.get("code") or error.get("type")
    message = error.get("message") or response.reason_phrase
    return str(message), None if code is None else str(code)
