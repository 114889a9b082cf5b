"""An SSE client on a bare socket that reads only when told to: a reader that stalls."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass

import httpx

SMALL_RECEIVE_BUFFER = 4096


@dataclass
class RawResult:
    events: list[tuple[str | None, str]]
    text: str
    cleanly_ended: bool  # the last chunk arrived, rather than the connection dropping


class RawStream:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read_head(self) -> str:
        return (await self._reader.readuntil(b"\r\n\r\n")).decode()

    async def read_to_end(self, timeout: float = 60) -> RawResult:
        async with asyncio.timeout(timeout):
            body, cleanly_ended = await self._read_chunks()
        self._writer.close()
        text = body.decode()
        return RawResult(_events(text), text, cleanly_ended)

    async def _read_chunks(self) -> tuple[bytes, bool]:
        body = bytearray()
        try:
            while size := int((await self._reader.readuntil(b"\r\n")).strip(), 16):
                body += await self._reader.readexactly(size)
                await self._reader.readexactly(2)
        except (asyncio.IncompleteReadError, ConnectionError):
            return bytes(body), False
        return bytes(body), True


async def open_raw_stream(url: str) -> RawStream:
    """GET ``url`` from a socket with a tiny receive buffer, reading nothing yet."""
    target = httpx.URL(url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_RECEIVE_BUFFER)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (target.host, target.port))
    reader, writer = await asyncio.open_connection(sock=sock, limit=SMALL_RECEIVE_BUFFER)
    request = f"GET {target.raw_path.decode()} HTTP/1.1\r\nHost: {target.host}\r\n\r\n"
    writer.write(request.encode())
    await writer.drain()
    return RawStream(reader, writer)


def _events(text: str) -> list[tuple[str | None, str]]:
    events = []
    for block in text.split("\r\n\r\n"):
        fields = dict(line.partition(": ")[::2] for line in block.split("\r\n") if line)
        if "event" in fields:
            events.append((fields.get("id"), fields["event"]))
    return events
