"""MiniMax vision chat through the native ``/v1/text/chatcompletion_v2`` endpoint.

The body is the OpenAI chat shape plus ``base_resp``: MiniMax reports most failures
with HTTP 200 and a non-zero ``base_resp.status_code``, so a 200 is not yet a success.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from media_analysis.providers.failures import FailureKind
from media_analysis.providers.openai_vision import answer_from_completion, post_chat_completion
from media_analysis.providers.provider_http import HttpProvider, ProviderHttp
from media_analysis.providers.vision import (
    ChatVisionSettings,
    VisionAnswer,
    VisionRequest,
    build_chat_messages,
)

PROVIDER_NAME = "minimax"
CHAT_PATH = "/v1/text/chatcompletion_v2"
INPUT_SENSITIVE, OUTPUT_SENSITIVE = 1026, 1027
CONTENT_REFUSALS = frozenset({INPUT_SENSITIVE, OUTPUT_SENSITIVE})

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


@dataclass(frozen=True, kw_only=True)
class MiniMaxConfig(ChatVisionSettings):
    base_url: str = "https://api.minimax.io"
    model: str = "MiniMax-Text-01"
    max_output_tokens: int = 2048


class MiniMaxVision(HttpProvider):
    name = PROVIDER_NAME

    def __init__(
        self, config: MiniMaxConfig, *, http_client: httpx.AsyncClient | None = None
    ) -> None:
        self._config = config
        super().__init__(config, http_client)

    async def analyze(self, request: VisionRequest) -> VisionAnswer:
        config = self._config
        messages = await build_chat_messages(
            request, provider=PROVIDER_NAME, max_image_bytes=config.max_upload_bytes
        )
        body = {
            "model": config.model,
            "messages": messages,
            "max_completion_tokens": config.max_output_tokens,
            "temperature": config.temperature,
        }
        payload = await post_chat_completion(
            self._http,
            chat_url(config.base_url),
            body,
            headers={"Authorization": f"Bearer {config.api_key}"},
        )
        raise_for_base_resp(self._http, payload)
        raise_for_sensitive_content(self._http, payload)
        return answer_from_completion(payload, provider=PROVIDER_NAME, requested_model=config.model)


def chat_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    base = base.removesuffix("/v1")
    return f"{base}{CHAT_PATH}"


def raise_for_base_resp(http: ProviderHttp, payload: dict[str, Any]) -> None:
    base_resp = payload.get("base_resp")
    if base_resp is None:
        return
    if not isinstance(base_resp, dict):
        raise http.failure("misconfigured", "a malformed base_resp", status=200)
    status_code = base_resp.get("status_code", 0)
    if status_code == 0:
        return
    kind = (
        FAILURE_KIND_BY_STATUS_CODE.get(status_code, "server")
        if isinstance(status_code, int)
        else "misconfigured"
    )
    raise http.failure(
        kind,
        f"refused the request: {base_resp.get('status_msg') or 'no reason given'}",
        status=200,
        provider_code=str(status_code),
        caller_fault="content_refused" if status_code in CONTENT_REFUSALS else None,
    )


def raise_for_sensitive_content(http: ProviderHttp, payload: dict[str, Any]) -> None:
    """A flagged input or output comes back with an empty reply; that is a refusal."""
    flagged = [side for side in ("input", "output") if payload.get(f"{side}_sensitive") is True]
    if flagged and not _has_content(payload):
        raise http.failure(
            "caller",
            f"declined to answer: the {' and '.join(flagged)} was flagged as sensitive",
            status=200,
            provider_code=str(INPUT_SENSITIVE if "input" in flagged else OUTPUT_SENSITIVE),
            caller_fault="content_refused",
        )


def _has_content(payload: dict[str, Any]) -> bool:
    choices = payload.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return False
    message = choices[0].get("message")
    return isinstance(message, dict) and bool(str(message.get("content") or "").strip())
