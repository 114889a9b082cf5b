from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from media_analysis.runtime import Runtime
from tests.conftest import make_settings


@pytest.fixture
async def engine_runtime(tmp_path: Path, db_url: str) -> AsyncIterator[Runtime]:
    settings = make_settings(
        tmp_path,
        handler_modules="tests.jobs.handlers",
        job_lease_seconds=3,
        job_heartbeat_seconds=0.5,
        job_poll_seconds=1,
        shutdown_grace_seconds=2,
        job_type_limits="test.child=1",
    )
    runtime = Runtime.open(settings, db_url)
    runtime.start_background()
    await runtime.hub.connected.wait()
    runtime.start_worker(concurrency=3)
    yield runtime
    await runtime.close()
