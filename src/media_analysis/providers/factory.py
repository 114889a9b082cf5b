"""The transcription chain as Settings describe it, and the process-wide circuit breaker."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import SecretStr

from media_analysis.config import Settings
from media_analysis.providers.circuit_breaker import CircuitBreaker
from media_analysis.providers.deepgram import DeepgramSettings, DeepgramTranscriber
from media_analysis.providers.failures import ProviderNotConfigured, UnknownProvider
from media_analysis.providers.gemini import GeminiSettings, GeminiTranscriber
from media_analysis.providers.groq import GroqSettings, groq_transcriber
from media_analysis.providers.local import LocalWhisperSettings, LocalWhisperTranscriber
from media_analysis.providers.openai import OpenAISettings, openai_transcriber
from media_analysis.providers.settings import ProviderSettings
from media_analysis.providers.transcription import Transcriber
from media_analysis.sandbox.pool import Sandbox


def build_transcribers(settings: Settings) -> list[Transcriber]:
    """One transcriber per name in ``settings.provider_order``, in that order.

    Providers without a key are still built (``configured`` is False) so that the
    fallback chain records them as skipped; ``local`` needs no key.
    """
    return [_BUILDERS[name](settings) for name in settings.provider_order]


def enabled_transcriber(settings: Settings, name: str) -> Transcriber:
    """The transcriber a caller asked for by name; raises when it cannot be used."""
    for transcriber in build_transcribers(settings):
        if transcriber.name == name:
            if not transcriber.configured:
                raise ProviderNotConfigured(
                    f"transcription provider {name!r} has no API key configured"
                )
            return transcriber
    enabled = ", ".join(settings.provider_order)
    raise UnknownProvider(f"{name!r} is not an enabled transcription provider (enabled: {enabled})")


@cache
def shared_circuit_breaker() -> CircuitBreaker:
    """One breaker per process: every job sees the same provider health."""
    return CircuitBreaker()


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
