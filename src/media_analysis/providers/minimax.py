"""MiniMax vision chat through the native ``/v1/text/chatcompletion_v2`` endpoint.

The body is the OpenAI chat shape plus ``base_resp``: MiniMax reports most failures
with HTTP 200 and a non-zero ``base_resp.status_code``, so a 200 is not yet a success.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from media_analysis.providers.openai_vision import (
    answer_from_completion,
    post_chat_completion,
)
from media_analysis.providers.redaction import redact
from media_analysis.providers.vision import (
    DEFAULT_MAX_IMAGE_BYTES,
    FailureKind,
    VisionAnswer,
    VisionFailure,
    VisionRequest,
    build_chat_messages,
)

PROVIDER_NAME = "minimax"
CHAT_PATH = "/v1/text/chatcompletion_v2"

FAILURE_KIND_BY_STATUS_CODE: dict[int, FailureKind] = {
    1000: "server",  # unknown error
    1001: "server",  # request timed out on their side
    1024: "server",  # internal error
    1033: "server",  # system error
    1002: "throttled",  # rate limit
    1041: "throttled",  # connection limit
    2045: "throttled",  # rate growth limit
    1004: "auth",  # authentication failed
    2049: "auth",  # invalid API key
    1008: "auth",  # insufficient balance
    2056: "auth",  # 5-hour usage limit
    1026: "caller",  # input flagged as sensitive
    1027: "caller",  # output flagged as sensitive
    1042: "caller",  # invisible characters in the input
    1039: "too_large",  # token limit
    2013: "misconfigured",  # invalid parameters
}


@dataclass(frozen=True)
class MiniMaxConfig:
    api_key: str = ""
    base_url: str = "https://api.minimax.io"
    model: str = "MiniMax-Text-01"
    timeout_seconds: float = 120.0
    max_output_tokens: int = 2048
    temperature: float = 0.2
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES


class MiniMaxVision:
    def __init__(
        self, config: MiniMaxConfig, *, http_client: httpx.AsyncClient | None = None
    ) -> None:
        self._config = config
        self._http_client = http_client

    @property
    def name(self) -> str:
        return PROVIDER_NAME

    @property
    def model(self) -> str:
        return self._config.model

    @property
    def configured(self) -> bool:
        return bool(self._config.api_key)

    async def analyze(self, request: VisionRequest) -> VisionAnswer:
        config = self._config
        messages = await build_chat_messages(
            request, provider=PROVIDER_NAME, max_image_bytes=config.max_image_bytes
        )
        body = {
            "model": config.model,
            "messages": messages,
            "max_completion_tokens": config.max_output_tokens,
            "temperature": config.temperature,
        }
        payload = await post_chat_completion(
            chat_url(config.base_url),
            body,
            headers={"Authorization": f"Bearer {config.api_key}"},
            timeout_seconds=config.timeout_seconds,
            provider=PROVIDER_NAME,
            secret=config.api_key,
            http_client=self._http_client,
        )
        raise_for_base_resp(payload, secret=config.api_key)
        raise_for_sensitive_content(payload)
        return answer_from_completion(payload, provider=PROVIDER_NAME, requested_model=config.model)


def chat_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    base = base.removesuffix("/v1")
    return f"{base}{CHAT_PATH}"


def raise_for_base_resp(payload: dict[str, Any], *, secret: str) -> None:
    base_resp = payload.get("base_resp")
    if base_resp is None:
        return
    if not isinstance(base_resp, dict):
        raise VisionFailure(
            "misconfigured", "MiniMax sent a malformed base_resp.", provider=PROVIDER_NAME
        )
    status_code = base_resp.get("status_code", 0)
    if status_code == 0:
        return
    status_msg = redact(str(base_resp.get("status_msg") or ""), secret)[:200]
    code = status_code if isinstance(status_code, int) else None
    kind = FAILURE_KIND_BY_STATUS_CODE.get(code, "server") if code is not None else "misconfigured"
    detail = f": {status_msg}" if status_msg else ""
    raise VisionFailure(
        kind,
        f"MiniMax refused the request (status {status_code}{detail}).",
        provider=PROVIDER_NAME,
        provider_code=code,
    )


def raise_for_sensitive_content(payload: dict[str, Any]) -> None:
    """A flagged input or output comes back with an empty reply; that is a refusal."""
    flagged = [side for side in ("input", "output") if payload.get(f"{side}_sensitive") is True]
    if flagged and not _has_content(payload):
        raise VisionFailure(
            "caller",
            f"MiniMax declined to answer: the {' and '.join(flagged)} was flagged as sensitive.",
            provider=PROVIDER_NAME,
            provider_code=1026 if "input" in flagged else 1027,
        )


def _has_content(payload: dict[str, Any]) -> bool:
    choices = payload.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return False
    message = choices[0].get("message")
    return isinstance(message, dict) and bool(str(message.get("content") or "").strip())
