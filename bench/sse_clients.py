"""N plain-socket SSE clients in one process, timing when each receives each event id.

    python bench/sse_clients.py HOST PORT PATH N [--timeout 120]

Prints ``ready N`` once every stream has its response head, then, when every stream has
its terminal event (or the timeout passes), one JSON line: for each client the arrival
time (time.monotonic, shared by all processes of the machine) of every event id. The
hot path only timestamps the bytes; ids are found after the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time

EVENT_ID = re.compile(rb"\nid: (\d+)\r?\n")
TERMINAL = re.compile(rb"\nevent: (completed|failed|cancelled)\r?\n")
CONNECT_BATCH = 100


class StreamClient(asyncio.Protocol):
    def __init__(self, request: bytes, heads: asyncio.Queue[None]) -> None:
        self._request = request
        self._heads = heads
        self._data = bytearray()
        self._received: list[tuple[float, int]] = []  # (arrival time, bytes so far)
        self.done = asyncio.get_running_loop().create_future()
        self._transport: asyncio.BaseTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport
        transport.write(self._request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic()
        if not self._data:
            self._heads.put_nowait(None)
        self._data += data
        self._received.append((arrived, len(self._data)))
        if TERMINAL.search(self._data, max(0, len(self._data) - len(data) - 64)):
            self._finish()

    def connection_lost(self, exc: Exception | None) -> None:
        self._finish()

    def _finish(self) -> None:
        if not self.done.done():
            self.done.set_result(None)
        if self._transport is not None:
            self._transport.close()

    def arrivals(self) -> dict[str, float]:
        """Event id → when the bytes that completed its id line arrived."""
        found: dict[str, float] = {}
        chunk = 0
        for match in EVENT_ID.finditer(self._data):
            while self._received[chunk][1] < match.end():
                chunk += 1
            found[match.group(1).decode()] = self._received[chunk][0]
        return found


async def run(host: str, port: int, path: str, count: int, timeout: float) -> None:
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    heads: asyncio.Queue[None] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    clients: list[StreamClient] = []
    for start in range(0, count, CONNECT_BATCH):
        batch = min(CONNECT_BATCH, count - start)
        for _ in range(batch):
            client = StreamClient(request.encode(), heads)
            await loop.create_connection(lambda c=client: c, host, port)  # type: ignore[misc]
            clients.append(client)
        for _ in range(batch):
            await heads.get()
    print(f"ready {len(clients)}", flush=True)
    await asyncio.wait([client.done for client in clients], timeout=timeout)
    print(json.dumps([client.arrivals() for client in clients]), flush=True)


def use_uvloop() -> None:
    """The service runs on uvloop (uvicorn's default when installed); so do its clients."""
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("path")
    parser.add_argument("clients", type=int)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    use_uvloop()
    asyncio.run(run(args.host, args.port, args.path, args.clients, args.timeout))
    sys.exit(0)


if __name__ == "__main__":
    main()
