"""Deepgram pre-recorded transcription: raw audio bytes to ``/v1/listen`` with Token auth."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from media_analysis.providers.failure_rules import classify_bad_request
from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.provider_http import HttpProvider, json_body
from media_analysis.providers.settings import MIB, ProviderSettings
from media_analysis.providers.transcription import Segment, Transcript, Word

LISTEN_PATH = "/v1/listen"


@dataclass(frozen=True, kw_only=True)
class DeepgramSettings(ProviderSettings):
    base_url: str = "https://api.deepgram.com"
    model: str = "nova-3"
    max_upload_bytes: int = 2048 * MIB


class DeepgramTranscriber(HttpProvider):
    name = "deepgram"

    def __init__(
        self, settings: DeepgramSettings, *, client: httpx.AsyncClient | None = None
    ) -> None:
        super().__init__(settings, client)

    async def transcribe(self, audio: Path, *, mime_type: str, language: str | None) -> Transcript:
        content = await asyncio.to_thread(audio.read_bytes)
        response = await self._http.post(
            self._settings.url(LISTEN_PATH),
            params=self._query(language),
            headers={
                "Authorization": f"Token {self._settings.api_key}",
                "Content-Type": mime_type,
            },
            content=content,
        )
        if response.is_error:
            raise self._failure(response, language)
        try:
            return self._transcript(json_body(response), language)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            raise self._http.unexpected_body(response) from None

    def _query(self, language: str | None) -> dict[str, str]:
        query = {"model": self.model, "smart_format": "true", "utterances": "true"}
        if language:
            query["language"] = language
        else:
            query["detect_language"] = "true"
        return query

    def _transcript(self, body: dict[str, Any], language: str | None) -> Transcript:
        channel = body["results"]["channels"][0]
        best = channel["alternatives"][0]
        confidence = best.get("confidence")
        duration = body.get("metadata", {}).get("duration")
        return Transcript(
            text=str(best["transcript"]).strip(),
            language=channel.get("detected_language") or language,
            confidence=None if confidence is None else float(confidence),
            duration=None if duration is None else float(duration),
            words=tuple(_word(raw) for raw in best.get("words", ())),
            segments=tuple(_segment(raw) for raw in body["results"].get("utterances") or ()),
            provider=self.name,
            model=self.model,
        )

    def _failure(self, response: httpx.Response, language: str | None) -> ProviderFailure:
        message, code = _error_fields(json_body(response), response)
        reading = None
        if response.status_code == 400:
            reading = classify_bad_request(message, language=language)
        return self._http.status_failure(response, message, provider_code=code, reading=reading)


def _word(raw: dict[str, Any]) -> Word:
    confidence = raw.get("confidence")
    return Word(
        text=str(raw.get("punctuated_word") or raw["word"]),
        start=float(raw["start"]),
        end=float(raw["end"]),
        confidence=None if confidence is None else float(confidence),
    )


def _segment(raw: dict[str, Any]) -> Segment:
    return Segment(start=float(raw["start"]), end=float(raw["end"]), text=str(raw["transcript"]))


def _error_fields(body: Any, response: httpx.Response) -> tuple[str, str | None]:
    """``{"err_code", "err_msg"}``, or ``{"category", "message"}`` on some 400s."""
    if not isinstance(body, dict):
        return response.reason_phrase or "error without a body", None
    message = body.get("err_msg") or body.get("message") or response.reason_phrase
    code = body.get("err_code") or body.get("category")
    return str(message), None if code is None else str(code)
