"""Request context: a request id on every response and log line, unexpected errors as 500."""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import time

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from media_analysis.api.problems import internal_error_response
from media_analysis.logs import request_id_var
from media_analysis.metrics.http import HttpMetrics, route_template

logger = logging.getLogger("media_analysis.access")

REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID_BYTES = REQUEST_ID_HEADER.encode()
# Unique across processes (random prefix) and cheap per request (a counter).
_ID_PREFIX = secrets.token_hex(6)
_id_counter = itertools.count(1)
QUIET_PATHS = frozenset({"/health", "/metrics"})
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


class RequestContextMiddleware:
    """Request id, HTTP metrics and the access log, in one layer for a cheap hot path."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or next_request_id()
        token = request_id_var.set(request_id)
        id_bytes = request_id.encode()
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_BYTES, id_bytes)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if response_started:
                raise
            await internal_error_response()(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            self.metrics.observe(scope["method"], route_template(scope), status, seconds)
            _log_request(scope, status, seconds)
            request_id_var.reset(token)


def next_request_id() -> str:
    return f"{_ID_PREFIX}{next(_id_counter):010x}"


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_BYTES:
            candidate = value.decode("latin-1")
            return candidate if VALID_REQUEST_ID.match(candidate) else None
    return None


def _log_request(scope: Scope, status: int, seconds: float) -> None:
    if scope["path"] in QUIET_PATHS or not logger.isEnabledFor(logging.INFO):
        return
    duration_ms = round(seconds * 1000, 1)
    client = scope.get("client")
    logger.info(
        "%s %s %s %.1fms",
        scope["method"],
        scope["path"],
        status,
        duration_ms,
        extra={
            "method": scope["method"],
            "path": scope["path"],
            "status": status,
            "duration_ms": duration_ms,
            "client": client[0] if client else None,
        },
    )


class LeanCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, skipped for requests without ``Origin`` when every origin is allowed.

    With ``*`` the answer never depends on the origin, so same-origin and server-to-server
    calls (most of the traffic) need neither the wrapper nor a ``Vary: Origin`` header.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.allow_all_origins and not _has_origin(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _has_origin(scope: Scope) -> bool:
    return any(name == b"origin" for name, _ in scope["headers"])
