"""The effective, non-secret configuration as clients may see it."""

from __future__ import annotations

from typing import Any

from media_analysis.config import Settings

SECRET_FIELDS = frozenset(
    {
        "api_key",
        "groq_api_key",
        "deepgram_api_key",
        "openai_api_key",
        "gemini_api_key",
        "minimax_api_key",
        "vision_api_key",
        "database_url",
        "webhook_secret",
        "kommo_access_token",
    }
)


def provider_configuration(settings: Settings) -> dict[str, Any]:
    return {
        "transcription": {
            name: {"configured": _transcriber_configured(settings, name)}
            for name in settings.provider_order
        },
        "vision": {
            "minimax": {"configured": bool(settings.minimax_api_key.get_secret_value())},
            "openai_compatible": {
                "configured": bool(settings.vision_base_url and settings.vision_model)
            },
            "local": {"configured": True},
        },
        "kommo": {"configured": settings.kommo_configured},
    }


def public_settings(settings: Settings) -> dict[str, Any]:
    values = settings.model_dump(exclude=set(SECRET_FIELDS), mode="json")
    values["auth_required"] = bool(settings.api_keys)
    values["database"] = "external" if settings.database_url else "embedded"
    values["providers"] = provider_configuration(settings)
    return values


def _transcriber_configured(settings: Settings, name: str) -> bool:
    if name == "local":
        return True
    secret = getattr(settings, f"{name}_api_key")
    return bool(secret.get_secret_value())
