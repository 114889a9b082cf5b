"""The transcription chain as Settings describe it, and the process-wide circuit breaker."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from media_analysis.config import Settings
from media_analysis.providers.circuit_breaker import CircuitBreaker
from media_analysis.providers.deepgram import DeepgramSettings, DeepgramTranscriber
from media_analysis.providers.gemini import GeminiSettings, GeminiTranscriber
from media_analysis.providers.groq import GroqSettings, groq_transcriber
from media_analysis.providers.local import LocalWhisperTranscriber
from media_analysis.providers.openai import OpenAISettings, openai_transcriber
from media_analysis.providers.transcription import Transcriber
from media_analysis.providers.transcription_errors import ProviderNotConfigured, UnknownProvider


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


def _groq(settings: Settings) -> Transcriber:
    return groq_transcriber(
        GroqSettings(
            api_key=settings.groq_api_key.get_secret_value(),
            base_url=settings.groq_base_url,
            model=settings.groq_model,
            timeout=settings.provider_timeout,
        )
    )


def _deepgram(settings: Settings) -> Transcriber:
    return DeepgramTranscriber(
        DeepgramSettings(
            api_key=settings.deepgram_api_key.get_secret_value(),
            base_url=settings.deepgram_base_url,
            model=settings.deepgram_model,
            timeout=settings.provider_timeout,
        )
    )


def _openai(settings: Settings) -> Transcriber:
    return openai_transcriber(
        OpenAISettings(
            api_key=settings.openai_api_key.get_secret_value(),
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            timeout=settings.provider_timeout,
        )
    )


def _gemini(settings: Settings) -> Transcriber:
    return GeminiTranscriber(
        GeminiSettings(
            api_key=settings.gemini_api_key.get_secret_value(),
            base_url=settings.gemini_base_url,
            model=settings.gemini_model,
            timeout=settings.provider_timeout,
        )
    )


def _local(settings: Settings) -> Transcriber:
    return LocalWhisperTranscriber()


_BUILDERS: dict[str, Callable[[Settings], Transcriber]] = {
    "groq": _groq,
    "deepgram": _deepgram,
    "openai": _openai,
    "gemini": _gemini,
    "local": _local,
}
