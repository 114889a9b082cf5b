"""The transcription chain built from Settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from media_analysis.providers.factory import Providers, build_transcribers, enabled_transcriber
from media_analysis.providers.failures import ProviderNotConfigured, UnknownProvider
from tests.conftest import make_settings
from tests.providers.conftest import NO_PROVIDER_KEYS


def test_transcribers_follow_the_configured_order(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        **NO_PROVIDER_KEYS
        | {
            "transcription_providers": "deepgram,local,groq",
            "deepgram_api_key": "dg-key",
            "deepgram_model": "nova-2",
        },
    )
    chain = build_transcribers(settings)
    assert [(t.name, t.configured) for t in chain] == [
        ("deepgram", True),
        ("local", True),
        ("groq", False),
    ]
    assert chain[0].model == "nova-2"


def test_every_provider_takes_its_own_settings(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        **NO_PROVIDER_KEYS
        | {
            "groq_api_key": "g",
            "openai_api_key": "o",
            "gemini_api_key": "m",
            "openai_model": "gpt-4o-transcribe",
            "gemini_model": "gemini-2.5-pro",
        },
    )
    chain = {t.name: t for t in build_transcribers(settings)}
    assert list(chain) == ["groq", "deepgram", "openai", "gemini", "local"]
    assert chain["groq"].model == "whisper-large-v3-turbo"
    assert chain["openai"].model == "gpt-4o-transcribe"
    assert chain["gemini"].model == "gemini-2.5-pro"
    assert chain["gemini"].max_upload_bytes < chain["groq"].max_upload_bytes
    assert not chain["deepgram"].configured


def test_asking_for_an_unusable_provider_says_why(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, **NO_PROVIDER_KEYS, transcription_providers="groq,local")
    assert enabled_transcriber(settings, "local").name == "local"
    with pytest.raises(ProviderNotConfigured):
        enabled_transcriber(settings, "groq")
    with pytest.raises(UnknownProvider, match="enabled: groq, local"):
        enabled_transcriber(settings, "deepgram")


def test_one_breaker_serves_transcription_and_vision(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, **NO_PROVIDER_KEYS, provider_budget=12)
    providers = Providers(settings)
    assert providers.chain.breaker is providers.breaker
    assert providers.chain.budget_seconds == 12
    assert Providers(settings).breaker is not providers.breaker
    assert tuple(t.name for t in providers.transcribers()) == settings.provider_order
