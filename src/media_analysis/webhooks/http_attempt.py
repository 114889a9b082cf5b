"""One timed, bounded HTTP POST whose every outcome becomes an AttemptResult."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from media_analysis import __version__
from media_analysis.webhooks.retry_policy import (
    AttemptResult,
    Verdict,
    parse_retry_after,
)

USER_AGENT = f"media-analysis-webhooks/{__version__}"
MAX_ERROR_BODY = 1024


async def post(
    url: httpx.URL,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    classify: Callable[[int], Verdict],
    extensions: dict[str, str] | None = None,
) -> AttemptResult:
    """POST ``body``; never raises for anything the network or the receiver does."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            status, reason, retry_after, excerpt = await _exchange(
                url, body, headers, timeout, extensions or {}
            )
    except TimeoutError:
        return _failed(started, f"no answer within {timeout:g} s")
    except httpx.TimeoutException:
        return _failed(started, f"no answer within {timeout:g} s")
    except httpx.HTTPError as exc:
        return _failed(started, f"could not reach the receiver ({type(exc).__name__})")
    verdict = classify(status)
    error = None if verdict is Verdict.DELIVERED else _describe(status, reason, excerpt)
    return AttemptResult(verdict, _elapsed_ms(started), status, error, retry_after)


async def _exchange(
    url: httpx.URL,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    extensions: dict[str, str],
) -> tuple[int, str, float | None, bytes]:
    headers = {"user-agent": USER_AGENT, "content-type": "application/json", **headers}
    # No proxies from the environment and no redirects: the vetted address is the only
    # one this request may reach.
    async with httpx.AsyncClient(timeout=timeout, trust_env=False) as client:
        request = client.build_request(
            "POST", url, content=body, headers=headers, extensions=extensions
        )
        response = await client.send(request, stream=True)
        try:
            excerpt = await _read_excerpt(response)
        finally:
            await response.aclose()
    retry_after = parse_retry_after(
        response.status_code, response.headers.get("retry-after"), datetime.now(UTC)
    )
    return response.status_code, response.reason_phrase, retry_after, excerpt


async def _read_excerpt(response: httpx.Response) -> bytes:
    excerpt = b""
    async for chunk in response.aiter_raw():
        excerpt += chunk
        if len(excerpt) >= MAX_ERROR_BODY:
            break
    return excerpt[:MAX_ERROR_BODY]


def _describe(status: int, reason: str, excerpt: bytes) -> str:
    """``HTTP 401 Unauthorized: <detail>``; problem+json bodies are read for their detail."""
    text = excerpt.decode("utf-8", "replace").strip()
    try:
        problem = json.loads(text)
    except ValueError:
        problem = None
    if isinstance(problem, dict) and ("title" in problem or "detail" in problem):
        text = " - ".join(str(problem[k]) for k in ("title", "detail") if problem.get(k))
    described = f"HTTP {status} {reason}".strip()
    return f"{described}: {text[:300]}" if text else described


def _failed(started: float, error: str) -> AttemptResult:
    return AttemptResult(Verdict.RETRY, _elapsed_ms(started), None, error)


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
