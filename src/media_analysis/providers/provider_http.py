"""One POST to a provider over httpx, with transport problems turned into ProviderFailure."""

from __future__ import annotations

import json
from typing import Any

import httpx

from media_analysis.providers.failures import FailureKind, ProviderFailure
from media_analysis.providers.http_clients import shared_client
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
