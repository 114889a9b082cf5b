"""One pooled httpx client per provider origin and event loop, closed at shutdown.

A new client per call pays DNS, TCP and TLS set-up every time; a shared one keeps
connections alive between calls. HTTP/2 is offered (by ALPN, so only to servers
that speak it) when the ``h2`` package is installed; otherwise HTTP/1.1 keep-alive.
"""

from __future__ import annotations

import asyncio
import importlib.util
import weakref
from functools import cache
from urllib.parse import urlsplit

import httpx

KEEPALIVE_SECONDS = 30.0
MAX_CONNECTIONS = 20

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, httpx.AsyncClient]] = (
    weakref.WeakKeyDictionary()
)


def shared_client(url: str) -> httpx.AsyncClient:
    """The process's client for the origin of ``url`` (scheme, host and port)."""
    clients = _clients.setdefault(asyncio.get_running_loop(), {})
    origin = _origin(url)
    client = clients.get(origin)
    if client is None or client.is_closed:
        client = clients[origin] = httpx.AsyncClient(
            http2=origin.startswith("https:") and _http2_available(),
            limits=httpx.Limits(
                max_connections=MAX_CONNECTIONS, keepalive_expiry=KEEPALIVE_SECONDS
            ),
        )
    return client


async def close_shared_clients() -> None:
    """Close this loop's clients (at shutdown); later calls would open new ones."""
    clients = _clients.pop(asyncio.get_running_loop(), {})
    for client in clients.values():
        await client.aclose()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@cache
def _http2_available() -> bool:
    return importlib.util.find_spec("h2") is not None
