"""The Caddyfile: valid for Caddy, and set up for SSE, big uploads and safe headers."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from tests.deploy.caddy import CADDYFILE, caddy_binary


def _caddy(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [caddy_binary(), *args, "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/nonexistent", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _handlers(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    server = config["apps"]["http"]["servers"]["srv0"]
    routes = server["routes"][0]["handle"][0]["routes"]
    return {handler["handler"]: handler for route in routes for handler in route["handle"]}


def test_caddy_validates_the_caddyfile() -> None:
    result = _caddy("validate", MEDIA_ANALYSIS_DOMAIN="media.example.com")
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_the_adapted_config_proxies_for_streaming_and_large_uploads() -> None:
    result = _caddy("adapt", MEDIA_ANALYSIS_DOMAIN="media.example.com")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["routes"][0]["match"] == [{"host": ["media.example.com"]}]
    handlers = _handlers(config)

    proxy = handlers["reverse_proxy"]
    assert proxy["upstreams"] == [{"dial": "api:8000"}]
    assert proxy["flush_interval"] == -1
    second = 1_000_000_000
    assert proxy["transport"]["read_timeout"] >= 120 * second
    assert proxy["transport"]["write_timeout"] >= 120 * second
    assert handlers["request_body"]["max_size"] >= 2147483648

    compressed = handlers["encode"]["match"]["headers"]["Content-Type"]
    assert "application/json*" in compressed and "application/problem+json*" in compressed
    assert not any(kind.startswith(("text/event-stream", "text/*")) for kind in compressed)

    headers = handlers["headers"]["response"]
    assert headers["delete"] == ["Server"]
    assert headers["set"]["X-Frame-Options"] == ["DENY"]
    assert headers["set"]["X-Content-Type-Options"] == ["nosniff"]
    assert "Strict-Transport-Security" in headers["set"] and "Referrer-Policy" in headers["set"]
    assert config["logging"]["logs"]["log0"]["encoder"]["wrap"]["format"] == "json"


def test_the_upstream_and_body_cap_follow_the_environment() -> None:
    result = _caddy(
        "adapt",
        MEDIA_ANALYSIS_DOMAIN="media.example.com",
        MEDIA_ANALYSIS_UPSTREAM="127.0.0.1:9000",
        MEDIA_ANALYSIS_PROXY_MAX_BODY="10MiB",
    )
    handlers = _handlers(json.loads(result.stdout))
    assert handlers["reverse_proxy"]["upstreams"] == [{"dial": "127.0.0.1:9000"}]
    assert handlers["request_body"]["max_size"] == 10 * 1024 * 1024
