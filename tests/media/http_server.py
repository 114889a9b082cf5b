"""A tiny real HTTP server on 127.0.0.1 for the download tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PAYLOAD = bytes(range(256)) * 400  # 102,400 bytes


class Handler(BaseHTTPRequestHandler):
    server: RecordingServer

    def do_GET(self) -> None:
        url = urlparse(self.path)
        self.server.requests.append((url.path, self.headers.get("Host", "")))
        self.server.started.append(time.monotonic())
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        route = getattr(self, "route_" + url.path.strip("/").replace("-", "_"), None)
        if route is None:
            self.send_error(404, "Not Found")
        else:
            route(query)

    def route_file(self, query: dict[str, str]) -> None:
        self._send(200, PAYLOAD, {"Content-Type": "video/mp4"})

    def route_redirect(self, query: dict[str, str]) -> None:
        self._send(int(query.get("status", "302")), b"", {"Location": query["to"]})

    def route_loop(self, query: dict[str, str]) -> None:
        self._send(302, b"", {"Location": "/loop"})

    def route_host(self, query: dict[str, str]) -> None:
        self._send(200, self.headers.get("Host", "").encode(), {"Content-Type": "text/plain"})

    def route_broken(self, query: dict[str, str]) -> None:
        self._send(500, b"boom", {})

    def route_stream(self, query: dict[str, str]) -> None:
        """No Content-Length: the size is only known while reading."""
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(int(query.get("blocks", "10"))):
            self.wfile.write(b"y" * 10_000)
        self.close_connection = True

    def route_drip(self, query: dict[str, str]) -> None:
        """``bytes`` single bytes, one every ``interval`` seconds, like a stalled source."""
        count, interval = int(query.get("bytes", "100")), float(query.get("interval", "1"))
        self.send_response(200)
        self.send_header("Content-Length", str(count))
        self.end_headers()
        try:
            for _ in range(count):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(interval)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str]] = []
        self.started: list[float] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def running_server() -> Iterator[RecordingServer]:
    server = RecordingServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
