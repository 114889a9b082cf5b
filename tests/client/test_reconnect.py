"""A cut event stream is resumed with Last-Event-ID, and the job is still followed to its end."""

from __future__ import annotations

import re

import httpx

from tests.client.conftest import Server, run_client
from tests.client.proxy import cutting_proxy
from tests.paths import DATA

LAST_EVENT_ID = re.compile(rb"\r\nlast-event-id: (\d+)\r\n", re.IGNORECASE)


def test_a_cut_event_stream_is_resumed_from_the_last_event(api_server: Server) -> None:
    port = httpx.URL(api_server.url).port
    assert port is not None
    with cutting_proxy(port) as proxy:
        run = run_client(
            api_server.url, "analyze", str(DATA / "jfk.wav"), "--kind", "audio",
            "--server", proxy.url,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "your country" in run.stdout
    first, second, *_ = proxy.events_requests
    assert LAST_EVENT_ID.search(first) is None
    resumed = LAST_EVENT_ID.search(second)
    assert resumed is not None and int(resumed.group(1)) >= 1
    stages = re.findall(r"^(\w+): done$", run.stderr, re.MULTILINE)
    assert len(stages) == len(set(stages)), "each stage is reported done once"
    assert "analyzing" in stages
