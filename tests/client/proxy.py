"""A TCP proxy in front of the real server that cuts the first event stream once."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

EVENTS_REQUEST = re.compile(rb"^GET /api/media/jobs/[^ ]+/events ")
EVENT_ID_LINE = re.compile(rb"\nid: \d+")


class CuttingProxy:
    """Forwards everything; the first events response is cut after its first event."""

    def __init__(self, upstream_port: int) -> None:
        self._upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.events_requests: list[bytes] = []
        self._cut_done = False
        self._lock = threading.Lock()

    def serve_forever(self) -> None:
        while True:
            try:
                downstream, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self._upstream_port))
            carries_events = threading.Event()
            threading.Thread(
                target=self._requests, args=(downstream, upstream, carries_events), daemon=True
            ).start()
            threading.Thread(
                target=self._responses, args=(upstream, downstream, carries_events), daemon=True
            ).start()

    def close(self) -> None:
        self._listener.close()

    def _requests(
        self, downstream: socket.socket, upstream: socket.socket, carries_events: threading.Event
    ) -> None:
        for chunk in _chunks(downstream):
            if EVENTS_REQUEST.match(chunk):
                self.events_requests.append(chunk)
                carries_events.set()
            upstream.sendall(chunk)
        _close(upstream)

    def _responses(
        self, upstream: socket.socket, downstream: socket.socket, carries_events: threading.Event
    ) -> None:
        for chunk in _chunks(upstream):
            downstream.sendall(chunk)
            if carries_events.is_set() and EVENT_ID_LINE.search(chunk) and self._claim_cut():
                break
        _close(downstream)
        _close(upstream)

    def _claim_cut(self) -> bool:
        with self._lock:
            first, self._cut_done = not self._cut_done, True
            return first


def _chunks(sock: socket.socket) -> Iterator[bytes]:
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            return
        if not chunk:
            return
        yield chunk


def _close(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@contextmanager
def cutting_proxy(upstream_port: int) -> Iterator[CuttingProxy]:
    proxy = CuttingProxy(upstream_port)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.close()
        thread.join(timeout=5)
