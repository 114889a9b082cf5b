"""Any OpenAI-compatible ``/v1/chat/completions`` endpoint that accepts ``image_url`` parts.

Works with hosted APIs and with self-hosted model servers (vLLM, llama.cpp, Ollama …)
given a base URL and a model name; the key is optional. The wire helpers here are
shared with the MiniMax client, whose native endpoint speaks the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.provider_http import HttpProvider, ProviderHttp, json_body
from media_analysis.providers.vision import (
    ChatVisionSettings,
    VisionAnswer,
    VisionRequest,
    build_chat_messages,
    strip_reasoning,
)

MAX_ERROR_DETAIL_CHARS = 200


@dataclass(frozen=True, kw_only=True)
class OpenAIVisionConfig(ChatVisionSettings):
    base_url: str = ""
    """SDK-style base such as ``http://127.0.0.1:8000/v1``; a bare host gets ``/v1``."""
    model: str = ""
    name: str = "openai_compatible"

    @property
    def configured(self) -> bool:
        """A self-hosted server may need no key, only where it is and which model to use."""
        return bool(self.base_url and self.model)


class OpenAICompatibleVision(HttpProvider):
    def __init__(
        self, config: OpenAIVisionConfig, *, http_client: httpx.AsyncClient | None = None
    ) -> None:
        self.name = config.name
        self._config = config
        super().__init__(config, http_client)

    async def analyze(self, request: VisionRequest) -> VisionAnswer:
        config = self._config
        messages = await build_chat_messages(
            request, provider=self.name, max_image_bytes=config.max_upload_bytes
        )
        body = {
            "model": config.model,
            "messages": messages,
            "max_tokens": config.max_output_tokens,
            "temperature": config.temperature,
        }
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        payload = await post_chat_completion(
            self._http, chat_completions_url(config.base_url), body, headers=headers
        )
        return answer_from_completion(payload, provider=self.name, requested_model=config.model)


def chat_completions_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    if urlsplit(base).path in ("", "/"):
        base += "/v1"
    return f"{base}/chat/completions"


async def post_chat_completion(
    http: ProviderHttp, url: str, body: dict[str, Any], *, headers: dict[str, str]
) -> dict[str, Any]:
    """POST the request and return the JSON body of a 2xx answer; anything else raises."""
    response = await http.post(url, json=body, headers=headers)
    if not response.is_success:
        raise chat_failure(http, response)
    payload = json_body(response)
    if not isinstance(payload, dict):
        raise http.unexpected_body(response)
    return payload


def chat_failure(http: ProviderHttp, response: httpx.Response) -> ProviderFailure:
    detail = _error_detail(response) or response.reason_phrase or "error without a body"
    return http.status_failure(response, detail)


def _error_detail(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return ""
    if not isinstance(payload, dict):
        return ""
    candidates = [
        _nested(payload, "error", "message"),
        _nested(payload, "base_resp", "status_msg"),
        payload.get("error"),
        payload.get("detail"),
        payload.get("message"),
    ]
    detail = next((c for c in candidates if isinstance(c, str) and c.strip()), "")
    return detail.strip()[:MAX_ERROR_DETAIL_CHARS]


def _nested(payload: dict[str, Any], outer: str, inner: str) -> Any:
    value = payload.get(outer)
    return value.get(inner) if isinstance(value, dict) else None


def answer_from_completion(
    payload: dict[str, Any], *, provider: str, requested_model: str
) -> VisionAnswer:
    choice = _first_choice(payload, provider)
    message = choice.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    text = strip_reasoning(_content_text(content))
    finish_reason = choice.get("finish_reason")
    if not text:
        raise ProviderFailure(
            provider, "server", f"an empty message (finish_reason={finish_reason})"
        )
    usage = payload.get("usage")
    model = payload.get("model")
    return VisionAnswer(
        text=text,
        provider=provider,
        model=model if isinstance(model, str) and model else requested_model,
        usage=usage if isinstance(usage, dict) else {},
        raw_finish_reason=finish_reason if isinstance(finish_reason, str) else None,
    )


def _first_choice(payload: dict[str, Any], provider: str) -> dict[str, Any]:
    choices = payload.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        return choices[0]
    raise ProviderFailure(provider, "misconfigured", "an answer without any choice")


def _content_text(content: Any) -> str:
    """``content`` is a string, or (on some servers) a list of ``{"type": "text"}`` parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [part.get("text", "") for part in content if isinstance(part, dict)]
        return "".join(t for t in texts if isinstance(t, str))
    return ""
