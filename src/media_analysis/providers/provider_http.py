"""One POST to a provider over httpx, with transport problems turned into ProviderFailure."""

from __future__ import annotations

import json
from typing import Any

import httpx

from media_analysis.providers.failure_rules import kind_for_status
from media_analysis.providers.failures import CallerFault, FailureKind, ProviderFailure
from media_analysis.providers.http_clients import shared_client
from media_analysis.providers.rate_limits import retry_after_header
from media_analysis.providers.settings import ProviderSettings


class ProviderHttp:
    """Posts for one provider with an injected client or the process's shared one."""

    def __init__(
        self, provider: str, *, secret: str, timeout: float, client: httpx.AsyncClient | None
    ) -> None:
        self.provider = provider
        self.secret = secret
        self.timeout = timeout
        self._client = client

    async def post(self, url: str, **request: Any) -> httpx.Response:
        timeout = self.timeout
        try:
            client = self._client or shared_client(url)
            return await client.post(url, timeout=timeout, **request)
        except httpx.TimeoutException:
            raise self.failure("timeout", f"no answer within {timeout:g} s") from None
        except httpx.TransportError as exc:
            detail = f"connection failed: {type(exc).__name__}: {exc}"
            raise self.failure("server", detail) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            detail = f"request failed: {type(exc).__name__}: {exc}"
            raise self.failure("misconfigured", detail) from None

    def failure(self, kind: FailureKind, message: str, **details: Any) -> ProviderFailure:
        return ProviderFailure(self.provider, kind, message, secret=self.secret, **details)

    def status_failure(
        self,
        response: httpx.Response,
        message: str,
        *,
        provider_code: str | None = None,
        reading: tuple[FailureKind, CallerFault | None] | None = None,
        retry_after: float | None = None,
    ) -> ProviderFailure:
        """An error answer: ``reading`` (kind, caller fault) when the body told more than
        the status; a throttled one waits ``retry_after``, else what ``Retry-After`` says."""
        kind, caller_fault = reading or (kind_for_status(response.status_code), None)
        if kind == "throttled" and retry_after is None:
            retry_after = retry_after_header(response.headers)
        return self.failure(
            kind,
            message,
            status=response.status_code,
            provider_code=provider_code,
            retry_after=retry_after if kind == "throttled" else None,
            caller_fault=caller_fault,
        )

    def unexpected_body(self, response: httpx.Response) -> ProviderFailure:
        snippet = response.text[:120].replace("\n", " ")
        return self.failure(
            "misconfigured", f"unexpected response body: {snippet!r}", status=response.status_code
        )


def json_body(response: httpx.Response) -> Any:
    """The decoded JSON body, or None when the body is not JSON."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


class HttpProvider:
    """What every HTTP provider shares: its settings, its client, and what they tell."""

    name: str

    def __init__(self, settings: ProviderSettings, client: httpx.AsyncClient | None) -> None:
        self._settings = settings
        self._http = ProviderHttp(
            self.name, secret=settings.api_key, timeout=settings.timeout, client=client
        )

    @property
    def model(self) -> str:
        return self._settings.model

    @property
    def configured(self) -> bool:
        return self._settings.configured

    @property
    def max_upload_bytes(self) -> int:
        return self._settings.max_upload_bytes
