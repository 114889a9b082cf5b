"""Fakes of the vision chat providers, answering exactly as PROVIDERS.md §5 describes.

``FakeMiniMax`` speaks the native ``/v1/text/chatcompletion_v2`` protocol (errors on
HTTP 200 through ``base_resp``); ``FakeOpenAIChat`` speaks ``/v1/chat/completions``.
Both check the auth header and the body's shape (text and ``image_url`` data-URI
parts), record every request, and can be switched into an error mode.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

DATA_URI = re.compile(r"^data:image/(jpeg|png|webp);base64,(?P<data>[A-Za-z0-9+/=]+)$")


class VisionFakeError(StrEnum):
    BASE_RESP = "base_resp"  # HTTP 200 with a non-zero base_resp.status_code
    HTTP_401 = "http_401"
    HTTP_404 = "http_404"
    HTTP_429 = "http_429"
    HTTP_500 = "http_500"
    NOT_JSON = "not_json"
    SLOW = "slow"


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeVisionProvider:
    api_key: str
    model: str
    answer: str = "A rabbit wakes up at 00:01 and stretches."
    error: VisionFakeError | None = None
    error_count: int | None = None
    """How many requests get the error before answering normally; ``None`` = all."""
    status_code: int = 1002
    status_msg: str = "rate limit exceeded(RPM)"
    retry_after: str | None = None
    delay_seconds: float = 0.0
    requests: list[RecordedRequest] = field(default_factory=list)
    base_url: str = ""

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route(self.chat_path, self._handle, methods=["POST"])])

    @property
    def chat_path(self) -> str:
        raise NotImplementedError

    async def _handle(self, request: Request) -> Response:
        body = await _json_or_none(request)
        self.requests.append(RecordedRequest(request.url.path, dict(request.headers), body))
        error = self._current_error()
        if error is VisionFakeError.SLOW:
            await asyncio.sleep(self.delay_seconds)
        elif error is not None:
            return self.error_response(error)
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self.bad_key_response()
        problem = body_problem(body)
        if problem:
            return self.bad_body_response(problem)
        return JSONResponse(self.success_body())

    def _current_error(self) -> VisionFakeError | None:
        if self.error is None:
            return None
        if self.error_count is not None and len(self.requests) > self.error_count:
            return None
        return self.error

    def error_response(self, error: VisionFakeError) -> Response:
        if error is VisionFakeError.HTTP_429:
            headers = {"retry-after": self.retry_after} if self.retry_after else {}
            return JSONResponse(self.http_error_body(429, "rate limit exceeded"), 429, headers)
        if error is VisionFakeError.HTTP_401:
            return JSONResponse(self.http_error_body(401, f"invalid key {self.api_key}"), 401)
        if error is VisionFakeError.HTTP_404:
            return JSONResponse(self.http_error_body(404, "model not found"), 404)
        if error is VisionFakeError.HTTP_500:
            return PlainTextResponse("Internal Server Error", 500)
        if error is VisionFakeError.NOT_JSON:
            return PlainTextResponse("<html>gateway</html>", 200)
        return JSONResponse(self.base_resp_error_body(self.status_code, self.status_msg))

    def success_body(self) -> dict[str, Any]:
        return {
            "id": "06a3c3b1a7e0f5c5a2b9d8e7f6a5b4c3",
            "choices": [
                {
                    "finish_reason": "stop",
                    "index": 0,
                    "message": {
                        "content": self.answer,
                        "role": "assistant",
                        "name": "MiniMax AI",
                        "audio_content": "",
                    },
                }
            ],
            "created": int(time.time()),
            "model": self.model,
            "object": "chat.completion",
            "usage": {
                "total_tokens": 1234,
                "total_characters": 0,
                "prompt_tokens": 1200,
                "completion_tokens": 34,
                "completion_tokens_details": {"reasoning_tokens": 0},
                "prompt_tokens_details": {"cached_tokens": 0},
            },
            "input_sensitive": False,
            "output_sensitive": False,
            "input_sensitive_type": 0,
            "output_sensitive_type": 0,
            "base_resp": {"status_code": 0, "status_msg": ""},
        }

    def base_resp_error_body(self, status_code: int, status_msg: str) -> dict[str, Any]:
        return {
            "id": "",
            "choices": None,
            "created": int(time.time()),
            "model": self.model,
            "object": "chat.completion",
            "usage": {"total_tokens": 0},
            "input_sensitive": status_code == 1026,
            "output_sensitive": status_code == 1027,
            "input_sensitive_type": 1 if status_code == 1026 else 0,
            "output_sensitive_type": 1 if status_code == 1027 else 0,
            "base_resp": {"status_code": status_code, "status_msg": status_msg},
        }

    def http_error_body(self, status: int, message: str) -> dict[str, Any]:
        return {"base_resp": {"status_code": status, "status_msg": message}}

    def bad_key_response(self) -> Response:
        raise NotImplementedError

    def bad_body_response(self, problem: str) -> Response:
        raise NotImplementedError


class FakeMiniMax(FakeVisionProvider):
    @property
    def chat_path(self) -> str:
        return "/v1/text/chatcompletion_v2"

    def bad_key_response(self) -> Response:
        # MiniMax rejects a bad key with HTTP 200 and base_resp 1004.
        return JSONResponse(self.base_resp_error_body(1004, "login fail: invalid api key"))

    def bad_body_response(self, problem: str) -> Response:
        return JSONResponse(self.base_resp_error_body(2013, f"invalid params, {problem}"))


class FakeOpenAIChat(FakeVisionProvider):
    @property
    def chat_path(self) -> str:
        return "/v1/chat/completions"

    def success_body(self) -> dict[str, Any]:
        return {
            "id": "chatcmpl-123",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.answer},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 900, "completion_tokens": 20, "total_tokens": 920},
        }

    def http_error_body(self, status: int, message: str) -> dict[str, Any]:
        return {"error": {"message": message, "type": "invalid_request_error", "code": status}}

    def bad_key_response(self) -> Response:
        if not self.api_key:
            return JSONResponse(self.success_body())
        body = self.http_error_body(401, f"Incorrect API key provided: {self.api_key[:6]}***")
        return JSONResponse(body, 401)

    def bad_body_response(self, problem: str) -> Response:
        return JSONResponse(self.http_error_body(400, problem), 400)


async def _json_or_none(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        return None


def body_problem(body: Any) -> str:
    """What is wrong with a chat request body, or ``""`` when it is well formed."""
    if not isinstance(body, dict) or not isinstance(body.get("model"), str):
        return "model is required"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages is required"
    user = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    if not user or not isinstance(user[-1].get("content"), list):
        return "user content must be an array"
    return _content_problem(user[-1]["content"])


def _content_problem(parts: list[Any]) -> str:
    kinds = [part.get("type") if isinstance(part, dict) else None for part in parts]
    if "text" not in kinds:
        return "content needs a text part"
    if any(kind not in ("text", "image_url") for kind in kinds):
        return "content parts must be text or image_url"
    for part in parts:
        if part.get("type") == "image_url" and not _is_image_data_uri(part.get("image_url")):
            return "image_url.url must be a base64 data URI"
    return ""


def _is_image_data_uri(image_url: Any) -> bool:
    url = image_url.get("url") if isinstance(image_url, dict) else None
    match = DATA_URI.match(url) if isinstance(url, str) else None
    if match is None:
        return False
    try:
        base64.b64decode(match.group("data"), validate=True)
    except binascii.Error:
        return False
    return True
