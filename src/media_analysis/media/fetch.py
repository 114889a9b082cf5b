"""Download a URL to disk without letting it reach private networks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from media_analysis.errors import FetchFailed, PayloadTooLarge, UnsafeURL
from media_analysis.media.address_policy import Resolver, resolve_host
from media_analysis.media.fetch_pace import FetchPace, RateWatch, fetch_slot
from media_analysis.media.uploads import remove_partial, too_large_message, write_capped
from media_analysis.media.url_target import PinnedTarget, pin_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchedFile:
    path: Path
    size: int
    sha256: str
    content_type: str | None


async def fetch_to_file(
    url: str,
    dest: Path,
    *,
    max_bytes: int,
    allow_private: bool,
    connect_timeout: float = 10,
    read_timeout: float = 30,
    max_redirects: int = 5,
    total_timeout: float = 900,
    pace: FetchPace = FetchPace(),
    resolve: Resolver = resolve_host,
) -> FetchedFile:
    """Stream ``url`` into ``dest``; every hop is resolved, vetted and pinned.

    ``allow_private`` lifts only the address check; the scheme, redirect and size
    rules still apply. ``pace`` sets the minimum rate and the process-wide limit on
    simultaneous downloads (waiting for a slot does not count against the timeouts).
    Nothing is left at ``dest`` when this raises.
    """
    timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
    hops = _Hops(dest, max_bytes, allow_private, timeout, max_redirects, pace, resolve)
    async with fetch_slot(pace.max_concurrent):
        return await _fetch_within(url, hops, total_timeout)


async def _fetch_within(url: str, hops: _Hops, total_timeout: float) -> FetchedFile:
    try:
        async with asyncio.timeout(total_timeout):
            return await _follow(url, hops)
    except TimeoutError:
        remove_partial(hops.dest)
        raise FetchFailed(f"The download took longer than {total_timeout:.0f} seconds.") from None
    except BaseException:
        remove_partial(hops.dest)
        raise


@dataclass(frozen=True)
class _Hops:
    dest: Path
    max_bytes: int
    allow_private: bool
    timeout: httpx.Timeout
    max_redirects: int
    pace: FetchPace
    resolve: Resolver


async def _follow(url: str, hops: _Hops) -> FetchedFile:
    current = _parse(url)
    for _ in range(hops.max_redirects + 1):
        target = await pin_url(current, allow_private=hops.allow_private, resolve=hops.resolve)
        location = await _download(target, hops)
        if isinstance(location, FetchedFile):
            return location
        current = current.join(location)
    raise FetchFailed(f"The URL redirected more than {hops.max_redirects} times.")


def _parse(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL:
        raise UnsafeURL("The URL is not valid.") from None


async def _download(target: PinnedTarget, hops: _Hops) -> FetchedFile | str:
    """The file, or the Location to go to next."""
    watch = RateWatch(hops.pace)
    # One client per hop, no proxies from the environment: nothing reuses a
    # connection that was vetted for a different host.
    async with httpx.AsyncClient(timeout=hops.timeout, trust_env=False) as client:
        try:
            async with watch.watching():
                return await _request(client, target, hops, watch)
        except TimeoutError:
            raise FetchFailed(watch.too_slow_message(target.host)) from None
        except httpx.TimeoutException:
            raise FetchFailed(f"The server {target.host} did not respond in time.") from None
        except httpx.ConnectError:
            raise FetchFailed(f"Could not connect to {target.host}.") from None
        except httpx.HTTPError:
            raise FetchFailed(f"The download from {target.host} was interrupted.") from None


async def _request(
    client: httpx.AsyncClient, target: PinnedTarget, hops: _Hops, watch: RateWatch
) -> FetchedFile | str:
    headers = {"Host": target.host_header, "Accept-Encoding": "identity"}
    request = client.build_request("GET", target.url, headers=headers, extensions=target.extensions)
    response = await client.send(request, stream=True)
    try:
        if response.status_code in REDIRECT_STATUSES:
            return _redirect_location(response)
        _ensure_success(response, target.host)
        _ensure_declared_size_fits(response, hops.max_bytes)
        return await _stream_to_file(response, hops.dest, hops.max_bytes, watch)
    finally:
        await response.aclose()


def _redirect_location(response: httpx.Response) -> str:
    location: str = response.headers.get("location", "")
    if not location:
        raise FetchFailed("The server sent a redirect without a destination.")
    return location


def _ensure_success(response: httpx.Response, host: str) -> None:
    if not 200 <= response.status_code < 300:
        raise FetchFailed(
            f"The server {host} answered {response.status_code} {response.reason_phrase}.",
            status=response.status_code,
        )


def _ensure_declared_size_fits(response: httpx.Response, max_bytes: int) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(too_large_message(max_bytes))


async def _stream_to_file(
    response: httpx.Response, dest: Path, max_bytes: int, watch: RateWatch
) -> FetchedFile:
    stored = await write_capped(_counted(response.aiter_bytes(), watch), dest, max_bytes)
    content_type = response.headers.get("content-type")
    return FetchedFile(stored.path, stored.size, stored.sha256, content_type)


async def _counted(chunks: AsyncIterator[bytes], watch: RateWatch) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        watch.received(len(chunk))
        yield chunk
