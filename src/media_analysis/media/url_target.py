"""Check a URL and pin it to one vetted IP address before anything connects."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx

from media_analysis.errors import FetchFailed, UnsafeURL
from media_analysis.media.address_policy import Resolver, is_public_address

ALLOWED_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class PinnedTarget:
    """Where to connect (``url`` holds the IP) and who we are talking to (``host``)."""

    url: httpx.URL
    host: str
    host_header: str

    @property
    def extensions(self) -> dict[str, str]:
        # TLS server name and certificate check use the real host name, not the IP.
        return {"sni_hostname": self.host} if self.url.scheme == "https" else {}


async def pin_url(url: httpx.URL, *, allow_private: bool, resolve: Resolver) -> PinnedTarget:
    """Resolve ``url``'s host and refuse it unless every answer is a public address."""
    if url.scheme not in ALLOWED_SCHEMES:
        raise UnsafeURL("Only http and https URLs can be downloaded.")
    if not url.host:
        raise UnsafeURL("The URL has no host name.")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = await _resolve(url.host, port, resolve)
    if not allow_private:
        _refuse_non_public(url.host, addresses)
    return PinnedTarget(
        url=url.copy_with(host=addresses[0]),
        host=url.host,
        host_header=_host_header(url),
    )


async def _resolve(host: str, port: int, resolve: Resolver) -> list[str]:
    try:
        addresses = await resolve(host, port)
    except (socket.gaierror, UnicodeError):
        raise FetchFailed(f"The host name {host} could not be resolved.") from None
    if not addresses:
        raise FetchFailed(f"The host name {host} could not be resolved.")
    return addresses


def _refuse_non_public(host: str, addresses: list[str]) -> None:
    for text in addresses:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise UnsafeURL(f"The host {host} resolved to an unusable address.") from None
        if not is_public_address(address):
            raise UnsafeURL(
                f"The host {host} points to a private or reserved network address, "
                "which is not allowed."
            )


def _host_header(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{url.port}" if url.port else host
