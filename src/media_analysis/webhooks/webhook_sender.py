"""Send one signed webhook to a URL that is vetted again before every attempt."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx

from media_analysis.errors import FetchFailed, UnsafeURL
from media_analysis.media.address_policy import Resolver, resolve_host
from media_analysis.media.url_target import pin_url
from media_analysis.webhooks import http_attempt
from media_analysis.webhooks.retry_policy import AttemptResult, Verdict, webhook_verdict
from media_analysis.webhooks.signing import signed_headers


async def send_webhook(
    url: str,
    body: bytes,
    *,
    secret: str,
    message_id: str,
    timeout: float,
    allow_private: bool,
    resolve: Resolver = resolve_host,
) -> AttemptResult:
    started = time.monotonic()
    try:
        target = await pin_url(httpx.URL(url), allow_private=allow_private, resolve=resolve)
    except (UnsafeURL, httpx.InvalidURL) as exc:
        # A host that now resolves to a private address is refused outright.
        return AttemptResult(Verdict.FAIL, _ms(started), error=_reason(exc))
    except FetchFailed as exc:
        return AttemptResult(Verdict.RETRY, _ms(started), error=exc.detail)
    headers = signed_headers(secret, message_id, body, datetime.now(UTC))
    headers["host"] = target.host_header
    return await http_attempt.post(
        target.url,
        body,
        headers,
        timeout=timeout,
        classify=webhook_verdict,
        extensions=target.extensions,
    )


def _reason(exc: Exception) -> str:
    return exc.detail if isinstance(exc, UnsafeURL) else "the URL is not valid"


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
