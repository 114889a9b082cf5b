"""Refusals at the edge, before routing: oversized bodies and NUL characters in the URL.

PostgreSQL text cannot hold U+0000, and a body read into memory must be bounded
whatever its framing, so both are refused here, for every route, as problem+json.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from media_analysis.api.problems import problem_response

# Room for the multipart boundaries, part headers and form fields around the file.
MULTIPART_FRAMING_BYTES = 1024 * 1024


class BodyLimitMiddleware:
    """Counts the bytes of every request body and refuses it with 413 past its cap.

    Multipart bodies sent to an upload route may reach the upload cap (the file is
    streamed to disk); every other body is held to ``max_body_bytes``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int,
        upload_paths: Collection[str],
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes + MULTIPART_FRAMING_BYTES
        self.upload_paths = frozenset(upload_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)

    def _limit_for(self, scope: Scope) -> int:
        if scope["path"] in self.upload_paths and _is_multipart(scope):
            return self.max_upload_bytes
        return self.max_body_bytes


def _counting(receive: Receive, limit: int) -> Receive:
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                # Starlette's HTTPException: FastAPI re-raises it from body parsing and
                # the problem handler renders it, wherever the body was being read.
                raise HTTPException(413, body_too_large_message(limit))
        return message

    return receive_within_limit


class NulInUrlMiddleware:
    """Refuses a NUL character anywhere in the path or query string with 400."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _url_has_nul(scope):
            response = problem_response(
                400, "bad_request", "Bad Request", "The URL must not contain a NUL character."
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _url_has_nul(scope: Scope) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope["path"] or b"%00" in query or b"\x00" in query


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def _declared_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    return int(value) if value is not None and value.isdigit() else None


def _is_multipart(scope: Scope) -> bool:
    content_type = _header(scope, b"content-type") or b""
    return content_type.split(b";", 1)[0].strip().lower() == b"multipart/form-data"


def body_too_large_message(limit: int) -> str:
    return f"The request body is larger than the limit of {limit} bytes."


def _too_large(limit: int) -> ASGIApp:
    detail = body_too_large_message(limit)
    return problem_response(413, "payload_too_large", "Payload Too Large", detail)
