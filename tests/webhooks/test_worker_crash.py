"""A worker killed in the middle of a delivery: the event still arrives, under one id."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from pathlib import Path

from tests.jobs.helpers import factory_for
from tests.jobs.processes import start_worker, stop, worker_env
from tests.webhooks.helpers import SECRET, echo_job_with_callback, wait_for_deliveries
from tests.webhooks.receiver import Receiver


async def _wait_for_requests(receiver: Receiver, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(receiver.received) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the receiver got {len(receiver.received)} requests")
        await asyncio.sleep(0.02)


async def test_a_worker_killed_while_delivering_leaves_exactly_one_delivered_id(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    receiver = serve(Receiver(SECRET, hang_first=1))
    env = worker_env(tmp_path, db_url)
    env.update(
        {
            "MEDIA_ANALYSIS_WEBHOOK_SECRET": SECRET,
            "MEDIA_ANALYSIS_WEBHOOK_TIMEOUT_SECONDS": "5",
            "MEDIA_ANALYSIS_WEBHOOK_RETRY_SCHEDULE": "0.5",
            "MEDIA_ANALYSIS_ALLOW_PRIVATE_URLS": "true",
        }
    )
    factory = factory_for(db_url)
    first = start_worker(env, tmp_path / "first.log")
    second = None
    try:
        job_id = await echo_job_with_callback(factory, receiver.url)
        await _wait_for_requests(receiver, 1, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait()
        second = start_worker(env, tmp_path / "second.log")
        deliveries = await wait_for_deliveries(factory, job_id, {"delivered"}, timeout=60)
    finally:
        stop(first)
        if second is not None:
            stop(second)
    ((delivery, attempts),) = deliveries
    assert [a.status_code for a in attempts] == [204]
    assert [r.webhook_id for r in receiver.received] == [f"msg_{delivery.id.hex}"] * 2
    assert len(receiver.delivered_payloads()) == 2
