"""The effective, non-secret configuration as clients may see it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr

from media_analysis.api.service.schemas import PublicConfig
from media_analysis.config import Settings

# Where files live on the server is nobody's business but the operator's.
PRIVATE_FIELDS = frozenset(
    {"database_url", "upload_dir", "output_dir", "data_dir", "storage_url", "aws_endpoint_url"}
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
    """Every setting a client may see: no secret, no path, no credential inside a URL."""
    values = settings.model_dump(exclude=_private_fields(settings), mode="json")
    for name, value in values.items():
        if name.endswith("_url") and isinstance(value, str) and value:
            values[name] = without_credentials(value)
    values["auth_required"] = bool(settings.api_keys)
    values["database"] = "external" if settings.database_url else "embedded"
    values["storage"] = "s3" if settings.storage_url.startswith("s3://") else "filesystem"
    values["providers"] = provider_configuration(settings)
    return values


def public_config_json(settings: Settings) -> bytes:
    """The body of ``/api/media/config``: settings never change while the process runs."""
    return PublicConfig(**public_settings(settings)).model_dump_json().encode()


def without_credentials(url: str) -> str:
    """``https://user:pass@host/v1?key=…`` → ``https://host/v1``."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        netloc = f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        netloc = host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _private_fields(settings: Settings) -> set[str]:
    secrets = {name for name, value in settings.__dict__.items() if isinstance(value, SecretStr)}
    return secrets | PRIVATE_FIELDS


def _transcriber_configured(settings: Settings, name: str) -> bool:
    if name == "local":
        return True
    secret = getattr(settings, f"{name}_api_key")
    return bool(secret.get_secret_value())
