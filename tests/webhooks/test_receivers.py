"""Deliveries against real receivers: failing, slow, gone, and down across a restart."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from media_analysis.db.repositories import EventRepository
from tests.conftest import free_port, serving_app
from tests.fakes import run_fake_server
from tests.jobs.helpers import factory_for, wait_for_status
from tests.webhooks.helpers import (
    SECRET,
    echo_job_with_callback,
    wait_for_deliveries,
    webhook_settings,
)
from tests.webhooks.receiver import Receiver


async def test_a_receiver_failing_twice_gets_the_event_once_after_three_attempts(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    receiver = serve(Receiver(SECRET, answers=[500, 500]))
    factory = factory_for(db_url)
    async with serving_app(tmp_path, db_url, **webhook_settings()):
        job_id = await echo_job_with_callback(factory, receiver.url)
        ((delivery, attempts),) = await wait_for_deliveries(factory, job_id, {"delivered"})
    assert [a.status_code for a in attempts] == [500, 500, 204]
    assert [a.number for a in attempts] == [1, 2, 3]
    assert attempts[0].error is not None and "500" in attempts[0].error
    assert {r.webhook_id for r in receiver.received} == {f"msg_{delivery.id.hex}"}
    payloads = receiver.delivered_payloads()
    assert len(payloads) == 3 and all(p == payloads[0] for p in payloads)
    assert payloads[0]["type"] == "job.completed"
    assert payloads[0]["data"]["id"] == str(job_id)
    assert payloads[0]["data"]["result"]["echo"] == "hello"


async def test_a_receiver_that_does_not_answer_in_time_is_tried_again(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    receiver = serve(Receiver(SECRET, hang_first=1))
    factory = factory_for(db_url)
    async with serving_app(tmp_path, db_url, **webhook_settings(webhook_timeout_seconds=1)):
        job_id = await echo_job_with_callback(factory, receiver.url)
        ((_, attempts),) = await wait_for_deliveries(factory, job_id, {"delivered"})
    first, second = attempts
    assert first.status_code is None and first.error == "no answer within 1 s"
    assert second.status_code == 204 and second.error is None
    assert len({r.webhook_id for r in receiver.received}) == 1


async def test_a_receiver_answering_410_is_never_sent_to_again(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    receiver = serve(Receiver(SECRET, answers=[410]))
    factory = factory_for(db_url)
    async with serving_app(tmp_path, db_url, **webhook_settings()):
        job_id = await echo_job_with_callback(factory, receiver.url)
        ((delivery, attempts),) = await wait_for_deliveries(factory, job_id, {"stopped"})
        await asyncio.sleep(1.5)  # several retry periods: nothing more may arrive
        ((_, attempts_later),) = await wait_for_deliveries(factory, job_id, {"stopped"})
    assert delivery.status == "stopped"
    assert [a.status_code for a in attempts] == [a.status_code for a in attempts_later] == [410]
    assert len(receiver.received) == 1


async def test_a_receiver_down_across_a_restart_still_gets_the_event(
    tmp_path: Path, db_url: str
) -> None:
    port = free_port()
    receiver = Receiver(SECRET)
    url = f"http://127.0.0.1:{port}/hook"
    factory = factory_for(db_url)
    settings: dict[str, Any] = webhook_settings(webhook_retry_schedule="0.2,3,3,3")
    async with serving_app(tmp_path, db_url, **settings):
        job_id = await echo_job_with_callback(factory, url)
        ((_, attempts),) = await wait_for_deliveries(factory, job_id, {"pending"})
    assert attempts[0].status_code is None and "could not reach" in (attempts[0].error or "")
    with run_fake_server(receiver.app, port=port):
        async with serving_app(tmp_path, db_url, **settings):
            ((delivery, attempts),) = await wait_for_deliveries(factory, job_id, {"delivered"})
    assert attempts[-1].status_code == 204
    assert [r.webhook_id for r in receiver.received] == [f"msg_{delivery.id.hex}"]
    (payload,) = receiver.delivered_payloads()
    assert payload["data"]["status"] == "completed"


async def test_progress_is_sent_only_to_callbacks_that_ask_for_it(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    receiver = serve(Receiver(SECRET))
    factory = factory_for(db_url)
    events = ("job.progress", "job.completed")
    async with serving_app(tmp_path, db_url, **webhook_settings()):
        job_id = await echo_job_with_callback(
            factory, receiver.url, event_types=events, job_type="test.sleep"
        )
        await wait_for_status(factory, [job_id], {"completed"}, timeout=30)
        found = await wait_for_deliveries(factory, job_id, {"delivered"})
        async with factory() as session:
            events = await EventRepository(session).after(job_id, 0)
            progress = [e for e in events if e.event_type == "progress"]
    kinds = [delivery.event_type for delivery, _ in found]
    assert kinds.count("job.completed") == 1
    assert kinds.count("job.progress") == len(progress) >= 1
    received = sorted(p["type"] for p in receiver.delivered_payloads())
    assert received == sorted(kinds)


async def test_cancelling_a_pending_job_sends_job_cancelled(
    tmp_path: Path, db_url: str, serve: Callable[[Receiver], Receiver]
) -> None:
    receiver = serve(Receiver(SECRET))
    factory = factory_for(db_url)
    # No handler modules: the worker never claims test.echo, so the job stays pending.
    settings = webhook_settings(handler_modules="")
    async with serving_app(tmp_path, db_url, **settings) as (client, _app):
        job_id = await echo_job_with_callback(factory, receiver.url)
        cancelled = await client.delete(f"/api/media/jobs/{job_id}")
        ((delivery, _),) = await wait_for_deliveries(factory, job_id, {"delivered"})
    assert cancelled.json()["status"] == "cancelled"
    assert delivery.event_type == "job.cancelled"
    (payload,) = receiver.delivered_payloads()
    assert payload["type"] == "job.cancelled" and payload["data"]["status"] == "cancelled"
