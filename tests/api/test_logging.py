"""Logs: JSON lines with the request id when asked for, secrets masked."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

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
