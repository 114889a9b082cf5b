"""Groq Whisper: the OpenAI transcription protocol at api.groq.com."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from media_analysis.providers.openai_compatible import OpenAICompatibleTranscriber
from media_analysis.providers.settings import MIB, ProviderSettings


@dataclass(frozen=True, kw_only=True)
class GroqSettings(ProviderSettings):
    base_url: str = "https://api.groq.com/openai/v1"
    model: str = "whisper-large-v3-turbo"
    max_upload_bytes: int = 25 * MIB


def groq_transcriber(
    settings: GroqSettings, *, client: httpx.AsyncClient | None = None
) -> OpenAICompatibleTranscriber:
    """Every Groq Whisper model answers ``verbose_json`` with word and segment timestamps."""
    return OpenAICompatibleTranscriber(
        "groq", settings, supports_timestamps=lambda _model: True, client=client
    )
