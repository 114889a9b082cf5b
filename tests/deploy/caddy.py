"""Running the production Caddyfile on loopback, with Caddy's own local certificate authority."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.paths import REPO_ROOT

CADDYFILE = REPO_ROOT / "Caddyfile"


def caddy_binary() -> str:
    found = shutil.which("caddy")
    if found is None:
        pytest.skip("caddy is not installed (Debian: apt-get install caddy; .ci/run does this)")
    return found


@dataclass(frozen=True)
class Caddy:
    base_url: str
    tls: ssl.SSLContext
    log: Path


@contextmanager
def running_caddy(tmp_path: Path, upstream: str, max_body: str) -> Iterator[Caddy]:
    https_port, http_port = _free_ports(2)
    home = tmp_path / "caddy"
    options = [
        "local_certs",
        "skip_install_trust",
        "admin off",
        "default_bind 127.0.0.1",
        f"http_port {http_port}",
        f"https_port {https_port}",
        "auto_https disable_redirects",
    ]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "CADDY_EXTRA_GLOBAL_OPTIONS": "\n".join(options),
        "MEDIA_ANALYSIS_DOMAIN": f"localhost:{https_port}",
        "MEDIA_ANALYSIS_UPSTREAM": upstream,
        "MEDIA_ANALYSIS_PROXY_MAX_BODY": max_body,
    }
    log_path = tmp_path / "caddy.log"
    command = [caddy_binary(), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            root = home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
            caddy = Caddy(f"https://localhost:{https_port}", _wait_for_tls(root, process), log_path)
            _wait_until_proxying(caddy, process)
            yield caddy
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _free_ports(count: int) -> list[int]:
    """Distinct free ports: the sockets stay open until all have been picked."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def _wait_for_tls(root: Path, process: subprocess.Popen[bytes]) -> ssl.SSLContext:
    deadline = time.monotonic() + 20
    while not root.is_file():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("caddy did not create its local certificate authority")
        time.sleep(0.1)
    return ssl.create_default_context(cafile=str(root))


def _wait_until_proxying(caddy: Caddy, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"caddy exited early; see {caddy.log}")
        try:
            if httpx.get(f"{caddy.base_url}/health", verify=caddy.tls, timeout=2).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"caddy did not start proxying; see {caddy.log}")
