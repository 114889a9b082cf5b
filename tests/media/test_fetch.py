from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from media_analysis.errors import FetchFailed, PayloadTooLarge, UnsafeURL
from media_analysis.media import url_target
from media_analysis.media.address_policy import is_public_address
from media_analysis.media.fetch import fetch_to_file
from media_analysis.media.fetch_pace import FetchPace
from tests.media.http_server import PAYLOAD, RecordingServer, running_server


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with running_server() as server:
        yield server


def resolver_for(answers: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[str]:
        return answers.get(host, [host])

    return resolve


@pytest.fixture
def loopback_counts_as_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lets a test play "public origin" on 127.0.0.1 while every other check stays real."""

    def policy(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return str(address) == "127.0.0.1" or is_public_address(address)

    monkeypatch.setattr(url_target, "is_public_address", policy)


async def test_downloads_with_hash_and_type(tmp_path: Path, server: RecordingServer) -> None:
    dest = tmp_path / "clip.mp4"

    fetched = await fetch_to_file(
        f"{server.base_url}/file", dest, max_bytes=10**6, allow_private=True
    )

    assert dest.read_bytes() == PAYLOAD
    assert fetched.size == len(PAYLOAD)
    assert fetched.sha256 == hashlib.sha256(PAYLOAD).hexdigest()
    assert fetched.content_type == "video/mp4"


async def test_connects_to_the_checked_address_with_the_real_host(
    tmp_path: Path, server: RecordingServer
) -> None:
    port = server.server_address[1]
    resolved: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        resolved.append(host)
        return ["127.0.0.1"]

    await fetch_to_file(
        f"http://media.example:{port}/host", tmp_path / "host.txt",
        max_bytes=1000, allow_private=True, resolve=resolve,
    )  # fmt: skip

    assert resolved == ["media.example"]
    assert (tmp_path / "host.txt").read_text() == f"media.example:{port}"


async def test_follows_redirects(tmp_path: Path, server: RecordingServer) -> None:
    dest = tmp_path / "clip.mp4"

    await fetch_to_file(
        f"{server.base_url}/redirect?status=301&to=/file", dest, max_bytes=10**6,
        allow_private=True,
    )  # fmt: skip

    assert dest.read_bytes() == PAYLOAD
    assert [path for path, _ in server.requests] == ["/redirect", "/file"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/file",
        "http://10.1.2.3/video.mp4",
        "http://192.168.0.10/video.mp4",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/video.mp4",
        "http://[::1]:9/file",
        "http://[::ffff:127.0.0.1]/file",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://0.0.0.0:9/file",
        "http://2130706433/file",
    ],
)
async def test_refuses_private_addresses(tmp_path: Path, url: str) -> None:
    dest = tmp_path / "out"

    with pytest.raises(UnsafeURL, match="private or reserved"):
        await fetch_to_file(url, dest, max_bytes=1000, allow_private=False)

    assert not dest.exists()


async def test_refuses_loopback_server_without_contacting_it(
    tmp_path: Path, server: RecordingServer
) -> None:
    with pytest.raises(UnsafeURL):
        await fetch_to_file(f"{server.base_url}/file", tmp_path / "o", max_bytes=10**6,
                            allow_private=False)  # fmt: skip
    assert server.requests == []


@pytest.mark.parametrize(
    "answers", [["10.0.0.5"], ["93.184.215.14", "10.0.0.5"], ["2606:4700::1", "::1"]]
)
async def test_refuses_public_name_resolving_to_private_address(
    tmp_path: Path, answers: list[str]
) -> None:
    resolve = resolver_for({"media.example.com": answers})

    with pytest.raises(UnsafeURL):
        await fetch_to_file(
            "https://media.example.com/v.mp4", tmp_path / "o", max_bytes=1000,
            allow_private=False, resolve=resolve,
        )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/video.mp4", "gopher://example.com/", "data:,hi"],
)
async def test_refuses_other_schemes(tmp_path: Path, url: str) -> None:
    with pytest.raises(UnsafeURL, match="http"):
        await fetch_to_file(url, tmp_path / "o", max_bytes=1000, allow_private=True)


@pytest.mark.usefixtures("loopback_counts_as_public")
@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data/", "http://[::1]/x",
     "file:///etc/passwd"],
)  # fmt: skip
async def test_redirect_to_private_address_is_refused(
    tmp_path: Path, server: RecordingServer, target: str
) -> None:
    dest = tmp_path / "o"

    with pytest.raises(UnsafeURL):
        await fetch_to_file(
            f"{server.base_url}/redirect?to={target}", dest, max_bytes=1000,
            allow_private=False,
        )  # fmt: skip

    assert [path for path, _ in server.requests] == ["/redirect"]
    assert not dest.exists()


async def test_too_many_redirects(tmp_path: Path, server: RecordingServer) -> None:
    with pytest.raises(FetchFailed, match="redirected more than 5 times"):
        await fetch_to_file(f"{server.base_url}/loop", tmp_path / "o", max_bytes=1000,
                            allow_private=True)  # fmt: skip
    assert len(server.requests) == 6


async def test_declared_size_over_cap(tmp_path: Path, server: RecordingServer) -> None:
    dest = tmp_path / "o"

    with pytest.raises(PayloadTooLarge):
        await fetch_to_file(f"{server.base_url}/file", dest, max_bytes=1000,
                            allow_private=True)  # fmt: skip

    assert not dest.exists()


async def test_streamed_size_over_cap(tmp_path: Path, server: RecordingServer) -> None:
    dest = tmp_path / "o"

    with pytest.raises(PayloadTooLarge):
        await fetch_to_file(f"{server.base_url}/stream?blocks=50", dest, max_bytes=100_000,
                            allow_private=True)  # fmt: skip

    assert not dest.exists()


@pytest.mark.parametrize(("path", "status"), [("/missing", "404"), ("/broken", "500")])
async def test_error_status_is_fetch_failed(
    tmp_path: Path, server: RecordingServer, path: str, status: str
) -> None:
    dest = tmp_path / "o"

    with pytest.raises(FetchFailed, match=f"answered {status}"):
        await fetch_to_file(f"{server.base_url}{path}", dest, max_bytes=1000,
                            allow_private=True)  # fmt: skip

    assert not dest.exists()


async def test_connection_refused_is_fetch_failed(tmp_path: Path) -> None:
    with running_server() as closed:
        url = f"{closed.base_url}/file"

    with pytest.raises(FetchFailed, match="Could not connect"):
        await fetch_to_file(url, tmp_path / "o", max_bytes=1000, allow_private=True)


async def test_unresolvable_host_is_fetch_failed(tmp_path: Path) -> None:
    async def no_such_host(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchFailed, match="could not be resolved"):
        await fetch_to_file(
            "http://nonexistent.example/x", tmp_path / "o", max_bytes=1000,
            allow_private=False, resolve=no_such_host,
        )  # fmt: skip


async def test_a_source_slower_than_the_minimum_rate_fails(
    tmp_path: Path, server: RecordingServer
) -> None:
    dest = tmp_path / "drip.mp4"
    pace = FetchPace(min_bytes_per_second=100, window_seconds=1)
    started = time.monotonic()

    with pytest.raises(FetchFailed, match="slower than 100 bytes per second over 1 seconds"):
        await fetch_to_file(
            f"{server.base_url}/drip?bytes=60&interval=0.2",
            dest,
            max_bytes=10**6,
            allow_private=True,
            pace=pace,
        )

    assert time.monotonic() - started < 10
    assert not dest.exists()


async def test_a_source_at_the_minimum_rate_completes(
    tmp_path: Path, server: RecordingServer
) -> None:
    pace = FetchPace(min_bytes_per_second=2, window_seconds=1)
    fetched = await fetch_to_file(
        f"{server.base_url}/drip?bytes=8&interval=0.1",
        tmp_path / "drip.mp4",
        max_bytes=10**6,
        allow_private=True,
        pace=pace,
    )
    assert fetched.size == 8


async def test_downloads_beyond_the_limit_wait_for_a_slot(
    tmp_path: Path, server: RecordingServer
) -> None:
    pace = FetchPace(max_concurrent=1)
    finished: list[float] = []

    async def fetch(name: str) -> None:
        await fetch_to_file(
            f"{server.base_url}/drip?bytes=5&interval=0.2",
            tmp_path / name,
            max_bytes=10**6,
            allow_private=True,
            pace=pace,
        )
        finished.append(time.monotonic())

    await asyncio.gather(fetch("a"), fetch("b"))

    assert len(server.started) == 2
    assert server.started[1] >= min(finished)
