"""Jobs with callbacks made straight in the database, and waiting for their deliveries."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.db.channels import JOBS_CHANNEL, notify
from media_analysis.db.models import Job, WebhookAttempt, WebhookDelivery
from media_analysis.webhooks import outbox
from media_analysis.webhooks.callbacks import CallbackRequest, register_job_callback
from media_analysis.webhooks.signing import new_secret

SECRET = new_secret()
Deliveries = list[tuple[WebhookDelivery, list[WebhookAttempt]]]


def webhook_settings(**overrides: Any) -> dict[str, Any]:
    """Settings for an app whose workers run the engine's test job types."""
    return {
        "handler_modules": "tests.jobs.handlers",
        "webhook_secret": SECRET,
        "webhook_retry_schedule": "0.3,0.3,0.3",
        "webhook_timeout_seconds": 2,
        "job_poll_seconds": 1,
        **overrides,
    }


async def echo_job_with_callback(
    factory: async_sessionmaker[AsyncSession],
    url: str | None,
    job_type: str = "test.echo",
    **callback: Any,
) -> uuid.UUID:
    """A test job whose callback lands in the same transaction as the job."""
    async with factory() as session:
        job = Job(id=uuid.uuid4(), job_type=job_type, parameters={"value": "hello"})
        session.add(job)
        await session.flush()
        await register_job_callback(session, job.id, CallbackRequest(url, **callback))
        await notify(session, JOBS_CHANNEL, job.job_type)
        await session.commit()
        return job.id


async def wait_for_deliveries(
    factory: async_sessionmaker[AsyncSession],
    job_id: uuid.UUID,
    statuses: set[str],
    timeout: float = 30,
    min_attempts: int = 1,
) -> Deliveries:
    """Poll until the job has deliveries, all in ``statuses`` with ``min_attempts`` each."""
    deadline = time.monotonic() + timeout
    while True:
        async with factory() as session:
            found = await outbox.deliveries_of_job(session, job_id)
        if found and all(d.status in statuses and len(a) >= min_attempts for d, a in found):
            return found
        if time.monotonic() > deadline:
            states = [(d.status, len(a)) for d, a in found]
            raise TimeoutError(f"deliveries of {job_id} did not reach {statuses}: {states}")
        await asyncio.sleep(0.1)


def pdf_bytes() -> bytes:
    from tests.paths import DATA

    return Path(DATA / "crazyones.pdf").read_bytes()
