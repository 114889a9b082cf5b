"""Logs: JSON lines with the request id when asked for, secrets masked."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from media_analysis.logs import request_id_var, setup_logging


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    yield stream
    root.handlers[:], root.level = saved


def _use_stream(stream: io.StringIO) -> None:
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)


def test_json_lines_carry_the_request_id_and_mask_secrets(captured: io.StringIO) -> None:
    setup_logging("json", "info", secrets=["gsk_supersecret123", "client-key-42"])
    _use_stream(captured)
    token = request_id_var.set("req-abcdef12")
    try:
        logging.getLogger("media_analysis.test").warning(
            "provider said: invalid key %s (client %s)", "gsk_supersecret123", "client-key-42"
        )
    finally:
        request_id_var.reset(token)
    entry = json.loads(captured.getvalue().strip())
    assert entry["level"] == "warning" and entry["request_id"] == "req-abcdef12"
    assert "gsk_supersecret123" not in entry["message"] and "client-key-42" not in entry["message"]
    assert entry["message"] == "provider said: invalid key *** (client ***)"


def test_text_format_is_one_readable_line(captured: io.StringIO) -> None:
    setup_logging("text", "info")
    _use_stream(captured)
    logging.getLogger("media_analysis.test").info("hello %s", "world")
    line = captured.getvalue().strip()
    assert line.endswith("media_analysis.test [-] hello world")
    assert "\n" not in line


def test_text_format_escapes_control_characters_so_no_line_can_be_forged(
    captured: io.StringIO,
) -> None:
    setup_logging("text", "info")
    _use_stream(captured)
    forged = "/api/x\n2026-01-01 00:00:00,000 ERROR   fake [-] forged\r\x1b[2J\u2028"
    logging.getLogger("media_analysis.access").info("GET %s 404", forged)
    (line,) = captured.getvalue().splitlines()
    assert line.endswith(
        "GET /api/x\\x0a2026-01-01 00:00:00,000 ERROR   fake [-] forged\\x0d\\x1b[2J\\u2028 404"
    )


def test_text_format_keeps_a_traceback_on_its_own_lines(captured: io.StringIO) -> None:
    setup_logging("text", "info")
    _use_stream(captured)
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("media_analysis.test").exception("failed")
    lines = captured.getvalue().splitlines()
    assert lines[0].endswith("[-] failed")
    assert lines[1] == "Traceback (most recent call last):"
    assert lines[-1] == "ValueError: boom"


async def test_a_request_path_with_an_encoded_line_break_stays_on_one_log_line(
    captured: io.StringIO, client: httpx.AsyncClient
) -> None:
    setup_logging("text", "info")
    _use_stream(captured)
    await client.get("/api/media/nowhere%0aINFO%20forged")
    (line,) = [entry for entry in captured.getvalue().splitlines() if "nowhere" in entry]
    assert "/api/media/nowhere\\x0aINFO forged 404" in line
