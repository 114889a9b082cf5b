"""The providers as Settings describe them, and the object a process holds them in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from pydantic import SecretStr

from media_analysis.config import Settings
from media_analysis.providers.chain import FallbackChain, Sleep, candidates
from media_analysis.providers.circuit_breaker import CircuitBreaker, Clock
from media_analysis.providers.deepgram import DeepgramSettings, DeepgramTranscriber
from media_analysis.providers.gemini import GeminiSettings, GeminiTranscriber
from media_analysis.providers.groq import GroqSettings, groq_transcriber
from media_analysis.providers.local import LocalWhisperSettings, LocalWhisperTranscriber
from media_analysis.providers.minimax import MiniMaxConfig, MiniMaxVision
from media_analysis.providers.openai import OpenAISettings, openai_transcriber
from media_analysis.providers.openai_vision import OpenAICompatibleVision, OpenAIVisionConfig
from media_analysis.providers.settings import ProviderSettings
from media_analysis.providers.transcription import Transcriber
from media_analysis.providers.vision import VisionAnalyzer
from media_analysis.sandbox.pool import Sandbox


def build_transcribers(settings: Settings) -> list[Transcriber]:
    """One transcriber per name in ``settings.provider_order``, in that order.

    Providers without a key are still built (``configured`` is False) so that the
    fallback chain records them as skipped; ``local`` needs no key.
    """
    return [_BUILDERS[name](settings) for name in settings.provider_order]


def build_analyzers(settings: Settings) -> list[VisionAnalyzer]:
    """The vision analysers Settings configure, in the order they are tried."""
    analyzers: list[VisionAnalyzer] = []
    minimax_key = settings.minimax_api_key.get_secret_value()
    if minimax_key:
        config = MiniMaxConfig(
            api_key=minimax_key,
            base_url=settings.minimax_base_url,
            model=settings.minimax_model,
            timeout=settings.provider_timeout,
        )
        analyzers.append(MiniMaxVision(config))
    if settings.vision_base_url and settings.vision_model:
        compatible = OpenAIVisionConfig(
            base_url=settings.vision_base_url,
            model=settings.vision_model,
            api_key=settings.vision_api_key.get_secret_value(),
            timeout=settings.provider_timeout,
        )
        analyzers.append(OpenAICompatibleVision(compatible))
    return analyzers


def enabled_transcriber(settings: Settings, name: str) -> Transcriber:
    """The transcriber a caller asked for by name; raises when it cannot be used."""
    return candidates(build_transcribers(settings), name, "transcription")[0]


class Providers:
    """Every provider Settings describe, and the one chain (with its breaker) they go through.

    Whoever assembles a process creates one and passes it to the pipelines, so every job
    the process runs sees the same provider health. ``clock`` and ``sleep`` drive the
    breaker's cool-down and the waits for a throttled provider.
    """

    def __init__(
        self, settings: Settings, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.settings = settings
        self.breaker = CircuitBreaker(clock=clock)
        self.chain = FallbackChain(self.breaker, settings.provider_budget, clock, sleep)

    def transcribers(self) -> list[Transcriber]:
        return build_transcribers(self.settings)

    def analyzers(self) -> list[VisionAnalyzer]:
        return build_analyzers(self.settings)


# Each cloud provider: its settings type (with the real defaults) and its constructor.
_CLOUD: dict[str, tuple[Callable[..., ProviderSettings], Callable[[Any], Transcriber]]] = {
    "groq": (GroqSettings, groq_transcriber),
    "deepgram": (DeepgramSettings, DeepgramTranscriber),
    "openai": (OpenAISettings, openai_transcriber),
    "gemini": (GeminiSettings, GeminiTranscriber),
}


def _cloud(name: str) -> Callable[[Settings], Transcriber]:
    """A builder reading ``<name>_api_key``, ``_base_url`` and ``_model`` from settings."""
    settings_type, construct = _CLOUD[name]

    def build(settings: Settings) -> Transcriber:
        key: SecretStr = getattr(settings, f"{name}_api_key")
        return construct(
            settings_type(
                api_key=key.get_secret_value(),
                base_url=getattr(settings, f"{name}_base_url"),
                model=getattr(settings, f"{name}_model"),
                timeout=settings.provider_timeout,
            )
        )

    return build


def _local(settings: Settings) -> Transcriber:
    return LocalWhisperTranscriber(
        LocalWhisperSettings(
            model_dir=settings.local_whisper_model_dir, sandbox=Sandbox.from_settings(settings)
        )
    )


_BUILDERS: dict[str, Callable[[Settings], Transcriber]] = {
    **{name: _cloud(name) for name in _CLOUD},
    "local": _local,
}
