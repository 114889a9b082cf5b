"""A Unix-socket doorway to a TCP server, for processes in an isolated network namespace.

A process inside `unshare -n` has a loopback of its own and cannot reach the host's
127.0.0.1, but the file system is shared: a Unix socket opened here reaches it there.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHUNK = 64 * 1024


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(CHUNK):
            sink.sendall(data)
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


def _relay_handler(target: tuple[str, int]) -> type[socketserver.BaseRequestHandler]:
    class Relay(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            with socket.create_connection(target, timeout=10) as upstream:
                upstream.settimeout(None)
                back = threading.Thread(target=_pump, args=(upstream, self.request), daemon=True)
                back.start()
                _pump(self.request, upstream)
                back.join()

    return Relay


@contextmanager
def unix_socket_relay(socket_path: Path, target: tuple[str, int]) -> Iterator[Path]:
    """Accept on ``socket_path`` and forward every connection to ``target`` (host, port)."""
    server = socketserver.ThreadingUnixStreamServer(str(socket_path), _relay_handler(target))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield socket_path
    finally:
        server.shutdown()
        server.server_close()
        socket_path.unlink(missing_ok=True)
