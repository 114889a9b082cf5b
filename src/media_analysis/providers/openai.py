"""OpenAI speech-to-text; only ``whisper-1`` returns timestamps, language and duration."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from media_analysis.providers.openai_compatible import OpenAICompatibleTranscriber
from media_analysis.providers.settings import MIB, ProviderSettings

MODELS_WITH_TIMESTAMPS = frozenset({"whisper-1"})


@dataclass(frozen=True, kw_only=True)
class OpenAISettings(ProviderSettings):
    base_url: str = "https://api.openai.com/v1"
    model: str = "whisper-1"
    max_upload_bytes: int = 25 * MIB


def openai_transcriber(
    settings: OpenAISettings, *, client: httpx.AsyncClient | None = None
) -> OpenAICompatibleTranscriber:
    return OpenAICompatibleTranscriber(
        "openai",
        settings,
        supports_timestamps=MODELS_WITH_TIMESTAMPS.__contains__,
        client=client,
    )
