"""Configuration: the only place environment variables are read."""

from __future__ import annotations

import base64
import binascii
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROVIDER_NAMES = ("groq", "deepgram", "openai", "gemini", "local")
GRID_PATTERN = re.compile(r"^\s*(\d{1,2})\s*[xX]\s*(\d{1,2})\s*$")
ENV_FILES = (".env", "config/.env")
WEBHOOK_SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
# About a day of retries: the last attempt is some 24 hours after the first.
DEFAULT_RETRY_SCHEDULE = "5,30,120,600,1800,3600,7200,14400,28800,28800"
MIB = 1024 * 1024


def _unprefixed(name: str) -> AliasChoices:
    return AliasChoices(name, f"MEDIA_ANALYSIS_{name}")


Port = Annotated[int, Field(ge=1, le=65535)]


class Settings(BaseSettings):
    """Every setting of the service; see README.md for the table of meanings."""

    model_config = SettingsConfigDict(
        env_prefix="MEDIA_ANALYSIS_",
        env_file=ENV_FILES,
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    api_host: str = "127.0.0.1"
    api_port: Port = 8000
    api_key: SecretStr = SecretStr("")
    admin_api_keys: SecretStr = SecretStr("")
    metrics_token: SecretStr = SecretStr("")
    allow_anonymous: bool = False
    domain: str = "localhost"
    forwarded_allow_ips: str = Field(
        "127.0.0.1,::1", validation_alias=_unprefixed("FORWARDED_ALLOW_IPS")
    )
    cors_origins: str = "*"
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    fps: float = Field(3.0, gt=0, le=60)
    contact_sheet_grid: str = "2x3"
    frame_format: Literal["jpg", "png", "webp"] = "jpg"
    max_video_duration: float = Field(3600.0, gt=0)
    max_upload_bytes: int = Field(2 * 1024**3, gt=0)
    max_json_body_bytes: int = Field(1024**2, gt=0)
    allow_private_urls: bool = False
    upload_dir: Path = Path("var/uploads")
    output_dir: Path = Path("var/outputs")
    data_dir: Path = Path("var")
    storage_url: str = "file://"
    presigned_downloads: bool = False
    presigned_url_seconds: int = Field(300, ge=1, le=7 * 86400)
    storage_part_bytes: int = Field(8 * MIB, ge=5 * MIB, le=512 * MIB)
    storage_concurrency: int = Field(4, ge=1, le=64)
    aws_endpoint_url: str = Field("", validation_alias=_unprefixed("AWS_ENDPOINT_URL"))
    aws_region: str = Field(
        "us-east-1",
        validation_alias=AliasChoices(
            "AWS_REGION", "AWS_DEFAULT_REGION", "MEDIA_ANALYSIS_AWS_REGION"
        ),
    )
    aws_access_key_id: SecretStr = Field(
        SecretStr(""), validation_alias=_unprefixed("AWS_ACCESS_KEY_ID")
    )
    aws_secret_access_key: SecretStr = Field(
        SecretStr(""), validation_alias=_unprefixed("AWS_SECRET_ACCESS_KEY")
    )
    aws_session_token: SecretStr = Field(
        SecretStr(""), validation_alias=_unprefixed("AWS_SESSION_TOKEN")
    )
    aws_s3_force_path_style: bool = Field(
        True, validation_alias=_unprefixed("AWS_S3_FORCE_PATH_STYLE")
    )

    database_url: str | None = Field(None, validation_alias=_unprefixed("DATABASE_URL"))
    db_pool_size: int = Field(10, ge=1, le=200)
    db_max_overflow: int = Field(10, ge=0, le=200)
    db_pool_timeout: float = Field(10.0, gt=0)
    db_connect_timeout: float = Field(5.0, gt=0)
    db_statement_timeout_ms: int = Field(30_000, ge=0)

    transcription_providers: str = ",".join(PROVIDER_NAMES)
    groq_api_key: SecretStr = Field(SecretStr(""), validation_alias=_unprefixed("GROQ_API_KEY"))
    deepgram_api_key: SecretStr = Field(
        SecretStr(""), validation_alias=_unprefixed("DEEPGRAM_API_KEY")
    )
    openai_api_key: SecretStr = Field(SecretStr(""), validation_alias=_unprefixed("OPENAI_API_KEY"))
    gemini_api_key: SecretStr = Field(SecretStr(""), validation_alias=_unprefixed("GEMINI_API_KEY"))
    minimax_api_key: SecretStr = Field(
        SecretStr(""), validation_alias=_unprefixed("MINIMAX_API_KEY")
    )
    groq_base_url: str = "https://api.groq.com/openai/v1"
    deepgram_base_url: str = "https://api.deepgram.com"
    openai_base_url: str = "https://api.openai.com/v1"
    gemini_base_url: str = "https://generativelanguage.googleapis.com"
    minimax_base_url: str = "https://api.minimax.io"
    groq_model: str = "whisper-large-v3-turbo"
    deepgram_model: str = "nova-3"
    openai_model: str = "whisper-1"
    gemini_model: str = "gemini-2.5-flash"
    minimax_model: str = "MiniMax-Text-01"
    vision_base_url: str = ""
    vision_model: str = ""
    vision_api_key: SecretStr = SecretStr("")
    job_lease_seconds: float = Field(30.0, ge=2)
    job_heartbeat_seconds: float = Field(10.0, gt=0)
    job_poll_seconds: float = Field(5.0, gt=0)
    job_max_attempts: int = Field(3, ge=1, le=20)
    job_type_limits: str = ""
    shutdown_grace_seconds: float = Field(30.0, ge=0)
    sse_client_buffer: int = Field(500, ge=1, le=100_000)
    handler_modules: str = ""
    retention_days: float = Field(0.0, ge=0)
    retention_delete_rows: bool = False
    retention_interval_seconds: float = Field(3600.0, gt=0)
    provider_timeout: float = Field(120.0, gt=0)
    provider_budget: float = Field(30.0, ge=0)
    transcription_chunk_seconds: float = Field(600.0, ge=5, le=3600)
    local_whisper_model_dir: Path | None = None

    @field_validator("local_whisper_model_dir")
    @classmethod
    def _model_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not (value / "model.bin").is_file():
            raise ValueError("must be a folder holding a faster-whisper model (model.bin)")
        return value

    webhook_secret: SecretStr = SecretStr("")
    webhook_retry_schedule: str = DEFAULT_RETRY_SCHEDULE
    webhook_timeout_seconds: float = Field(10.0, gt=0, le=300)
    kommo_subdomain: str = Field("", validation_alias=_unprefixed("KOMMO_SUBDOMAIN"))
    kommo_access_token: SecretStr = Field(
        SecretStr(""), validation_alias=_unprefixed("KOMMO_ACCESS_TOKEN")
    )
    kommo_base_url: str = Field("", validation_alias=_unprefixed("KOMMO_BASE_URL"))

    max_image_pixels: int = Field(64_000_000, ge=1)
    max_video_pixels: int = Field(4096 * 4096, ge=1)
    max_document_uncompressed_bytes: int = Field(100 * MIB, ge=1)
    max_document_text_bytes: int = Field(16 * MIB, ge=1)
    job_memory_limit: int = Field(1536 * MIB, ge=128 * MIB)
    job_step_timeout: float = Field(900.0, gt=0)
    fetch_min_bytes_per_second: int = Field(4096, ge=0)
    fetch_rate_window_seconds: float = Field(30.0, gt=0)
    max_concurrent_fetches: int = Field(2, ge=1, le=100)

    @field_validator("contact_sheet_grid")
    @classmethod
    def _grid_shape(cls, value: str) -> str:
        rows, cols = parse_grid(value)
        return f"{rows}x{cols}"

    @field_validator("storage_url")
    @classmethod
    def _storage_url(cls, value: str) -> str:
        parse_storage_url(value)
        return value.strip()

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalize_database_url(value)

    @field_validator("transcription_providers")
    @classmethod
    def _provider_order(cls, value: str) -> str:
        names = [name.strip().lower() for name in value.split(",") if name.strip()]
        unknown = sorted(set(names) - set(PROVIDER_NAMES))
        if unknown or not names:
            raise ValueError(f"use a comma-separated list of {', '.join(PROVIDER_NAMES)}")
        return ",".join(dict.fromkeys(names))

    @field_validator("job_type_limits")
    @classmethod
    def _type_limits(cls, value: str) -> str:
        parse_type_limits(value)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr) -> SecretStr:
        if value.get_secret_value():
            parse_webhook_secret(value.get_secret_value())
        return value

    @field_validator("webhook_retry_schedule")
    @classmethod
    def _retry_schedule(cls, value: str) -> str:
        parse_retry_schedule(value)
        return value

    @property
    def retry_schedule(self) -> tuple[float, ...]:
        return parse_retry_schedule(self.webhook_retry_schedule)

    @property
    def kommo_configured(self) -> bool:
        has_host = bool(self.kommo_subdomain or self.kommo_base_url)
        return has_host and bool(self.kommo_access_token.get_secret_value())

    @property
    def kommo_api_base(self) -> str:
        return self.kommo_base_url.rstrip("/") or f"https://{self.kommo_subdomain}.kommo.com"

    @property
    def type_limits(self) -> dict[str, int]:
        return parse_type_limits(self.job_type_limits)

    @property
    def handler_module_names(self) -> list[str]:
        return [name.strip() for name in self.handler_modules.split(",") if name.strip()]

    @cached_property
    def api_keys(self) -> tuple[str, ...]:
        """Every key the API accepts: the ordinary ones and the administrators'."""
        return tuple(dict.fromkeys((*_key_list(self.api_key), *self.admin_keys)))

    @cached_property
    def admin_keys(self) -> tuple[str, ...]:
        """Keys that see every job, not only the jobs they submitted."""
        return _key_list(self.admin_api_keys)

    @property
    def grid(self) -> tuple[int, int]:
        return parse_grid(self.contact_sheet_grid)

    @property
    def provider_order(self) -> tuple[str, ...]:
        return tuple(self.transcription_providers.split(","))

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]


def _key_list(secret: SecretStr) -> tuple[str, ...]:
    return tuple(key.strip() for key in secret.get_secret_value().split(",") if key.strip())


def parse_grid(value: str) -> tuple[int, int]:
    """``"2x3"`` → ``(2, 3)``: rows × columns."""
    match = GRID_PATTERN.match(value)
    if not match:
        raise ValueError("must look like ROWSxCOLUMNS, for example 2x3")
    rows, cols = int(match.group(1)), int(match.group(2))
    if not (1 <= rows <= 10 and 1 <= cols <= 10):
        raise ValueError("rows and columns must each be between 1 and 10")
    return rows, cols


def parse_storage_url(value: str) -> tuple[str, str, str]:
    """``"s3://bucket/some/prefix"`` → ``("s3", "bucket", "some/prefix")``; ``file://`` too."""
    scheme, sep, rest = value.strip().partition("://")
    if scheme == "file" and sep and not rest:
        return "file", "", ""
    bucket, _, prefix = rest.partition("/")
    if scheme == "s3" and sep and bucket:
        return "s3", bucket, prefix.strip("/")
    raise ValueError("use file:// (the upload and output folders) or s3://bucket/prefix")


def parse_type_limits(value: str) -> dict[str, int]:
    """``"transcribe=1,video=2"`` → ``{"transcribe": 1, "video": 2}``."""
    limits: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        job_type, sep, number = item.partition("=")
        if not sep or not number.strip().isdigit() or int(number) < 1:
            raise ValueError("use JOB_TYPE=N pairs separated by commas, e.g. transcribe=1")
        limits[job_type.strip()] = int(number)
    return limits


def parse_retry_schedule(value: str) -> tuple[float, ...]:
    """``"5,30,120"`` → seconds to wait before the 2nd, 3rd and 4th delivery attempts."""
    try:
        delays = tuple(float(part) for part in value.split(",") if part.strip())
    except ValueError:
        delays = ()
    if not delays or any(delay < 0 for delay in delays) or len(delays) > 50:
        raise ValueError("use 1 to 50 comma-separated delays in seconds, e.g. 5,30,120")
    return delays


def parse_webhook_secret(value: str) -> bytes:
    """The key bytes of a ``whsec_<base64>`` secret, as Standard Webhooks defines it."""
    encoded = value.removeprefix(WEBHOOK_SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not value.startswith(WEBHOOK_SECRET_PREFIX) or len(key) < 16:
        raise ValueError("must be whsec_ followed by at least 16 base64-encoded bytes")
    return key


def normalize_database_url(value: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the asyncpg driver."""
    value = value.strip()
    scheme, sep, rest = value.partition("://")
    if not sep or not rest:
        raise ValueError("must be a URL such as postgresql://user:password@host:5432/dbname")
    if scheme in ("postgresql", "postgres", "postgresql+asyncpg"):
        return f"postgresql+asyncpg://{rest}"
    raise ValueError("only PostgreSQL URLs are supported (postgresql://…)")


def describe_settings_error(exc: ValidationError) -> str:
    """One line naming the environment variable at fault and what is wrong with it."""
    parts = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "?"
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{env_var_name(field)}: {message}")
    return "invalid configuration: " + "; ".join(parts)


def env_var_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    if info is not None and isinstance(info.validation_alias, AliasChoices):
        return str(info.validation_alias.choices[0])
    if field.isupper():
        return field
    return f"MEDIA_ANALYSIS_{field.upper()}"
