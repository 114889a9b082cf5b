"""The baseline: a bare asyncio server that writes each event to every connected socket.

    python bench/sse_bare.py PORT CLIENTS [--events 20] [--interval 0.25]

It answers every connection with an SSE response head, waits until CLIENTS streams are
open, then writes EVENTS progress events and one ``completed`` to all of them in a plain
loop: the fan-out floor of one Python process on this machine, measured by the same
clients as the service.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from sse_clients import use_uvloop

HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
    b"cache-control: no-store\r\ntransfer-encoding: chunked\r\n\r\n"
)


def chunk(sequence: int, event: str) -> bytes:
    data = json.dumps({"stage": "frames", "percent": sequence, "message": None})
    frame = f"id: {sequence}\r\nevent: {event}\r\ndata: {data}\r\n\r\n".encode()
    return b"%x\r\n%s\r\n" % (len(frame), frame)


async def serve(port: int, clients: int, events: int, interval: float) -> None:
    streams: list[asyncio.StreamWriter] = []
    all_open = asyncio.Event()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(HEAD)
        streams.append(writer)
        if len(streams) == clients:
            all_open.set()

    server = await asyncio.start_server(accept, "127.0.0.1", port, backlog=4096)
    print("listening", flush=True)
    async with server:
        await all_open.wait()
        for sequence in range(1, events + 2):
            await asyncio.sleep(interval)
            frame = chunk(sequence, "progress" if sequence <= events else "completed")
            for writer in streams:
                writer.write(frame)
        for writer in streams:
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            writer.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("clients", type=int)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.25)
    args = parser.parse_args()
    use_uvloop()
    asyncio.run(serve(args.port, args.clients, args.events, args.interval))


if __name__ == "__main__":
    main()
