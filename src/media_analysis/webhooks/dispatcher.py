"""The delivery loop: claims due deliveries, sends them, records every attempt.

It runs beside the job workers but never inside a job's path: a slow or dead
receiver only ever holds one of this loop's own slots.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.channels import WEBHOOKS_CHANNEL
from media_analysis.db.models import DeliveryTarget, Job, WebhookDelivery, WebhookSubscription
from media_analysis.jobs.notifications import NotificationHub
from media_analysis.webhooks import outbox
from media_analysis.webhooks.kommo import KommoClient
from media_analysis.webhooks.note_text import note_text
from media_analysis.webhooks.payload import event_body
from media_analysis.webhooks.retry_policy import AttemptResult, Verdict, next_delay
from media_analysis.webhooks.secret_store import callback_secret
from media_analysis.webhooks.webhook_sender import send_webhook

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OSError, DBAPIError, InterfaceError, OperationalError, TimeoutError)
CONCURRENCY = 8
KOMMO_NOT_CONFIGURED = "Kommo is not configured (KOMMO_SUBDOMAIN and KOMMO_ACCESS_TOKEN)"


class DeliveryLoop:
    def __init__(
        self,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        hub: NotificationHub,
    ) -> None:
        self._settings = settings
        self._session_factory = session_factory
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._sending: set[asyncio.Task[None]] = set()
        self._secret: str | None = None
        self._kommo = _kommo_client(settings)
        self._unsubscribe = [
            hub.subscribe(WEBHOOKS_CHANNEL, lambda _payload: self._wake.set()),
            hub.on_reconnect(self._wake.set),
        ]

    @property
    def claim_seconds(self) -> float:
        """How long a claimed delivery is ours; after that a dead sender's work is due again."""
        return 2 * self._settings.webhook_timeout_seconds + 5

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                wait = await self._claim_and_send()
            except DATABASE_ERRORS as exc:
                logger.warning("cannot claim deliveries, database unavailable (%s)", exc)
                wait = 1.0
            await self._sleep(wait)

    async def stop(self) -> None:
        """Stop claiming; unfinished sends stay claimed and are sent again later."""
        self._stopping.set()
        self._wake.set()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        if self._sending:
            await asyncio.wait(self._sending, timeout=self._settings.webhook_timeout_seconds)
        pending = list(self._sending)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=2)

    async def _claim_and_send(self) -> float:
        free = CONCURRENCY - len(self._sending)
        poll = self._settings.job_poll_seconds
        if free <= 0:
            return poll
        async with self._session_factory() as session:
            claimed = await outbox.claim_due(session, free, self.claim_seconds)
            next_due = await outbox.seconds_to_next_due(session)
            await session.commit()
        for delivery in claimed:
            self._start(delivery)
        if len(claimed) == free:
            return 0.0
        return poll if next_due is None else min(poll, next_due)

    def _start(self, delivery: WebhookDelivery) -> None:
        task = asyncio.create_task(self._deliver(delivery), name=f"delivery-{delivery.id}")
        self._sending.add(task)
        task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        self._wake.set()

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _deliver(self, delivery: WebhookDelivery) -> None:
        try:
            result = await self._attempt(delivery)
            if result is not None:
                await self._record(delivery, result)
        except DATABASE_ERRORS as exc:
            logger.warning("delivery %s not recorded, database unavailable (%s)", delivery.id, exc)
        except Exception:
            logger.exception("delivery %s failed unexpectedly", delivery.id)

    async def _attempt(self, delivery: WebhookDelivery) -> AttemptResult | None:
        async with self._session_factory() as session:
            job = await session.get(Job, delivery.job_id)
            secret = await self._signing_secret(session, delivery)
            await session.commit()
        if job is None:
            return None  # the job was deleted, and its deliveries with it
        if delivery.target == DeliveryTarget.KOMMO:
            return await self._note_on_lead(delivery, job)
        assert delivery.url is not None and secret is not None
        return await send_webhook(
            delivery.url,
            event_body(job, delivery.event_type, delivery.occurred_at),
            secret=secret,
            message_id=outbox.message_id(delivery.id),
            timeout=self._settings.webhook_timeout_seconds,
            allow_private=self._settings.allow_private_urls,
        )

    async def _note_on_lead(self, delivery: WebhookDelivery, job: Job) -> AttemptResult:
        if self._kommo is None or delivery.kommo_lead_id is None:
            return AttemptResult(Verdict.FAIL, 0, error=KOMMO_NOT_CONFIGURED)
        text = note_text(job, self._settings)
        return await self._kommo.add_lead_note(delivery.kommo_lead_id, text)

    async def _signing_secret(self, session: AsyncSession, delivery: WebhookDelivery) -> str | None:
        if delivery.target == DeliveryTarget.KOMMO:
            return None
        if delivery.subscription_id is not None:
            subscription = await session.get(WebhookSubscription, delivery.subscription_id)
            return subscription.secret if subscription else None
        if self._secret is None:
            self._secret = await callback_secret(session, self._settings)
        return self._secret

    async def _record(self, delivery: WebhookDelivery, result: AttemptResult) -> None:
        retry_in = None
        if result.verdict is Verdict.RETRY:
            schedule = self._settings.retry_schedule
            retry_in = next_delay(schedule, delivery.attempts + 1, result.retry_after)
        async with self._session_factory() as session:
            status = await outbox.record_attempt(session, delivery, result, retry_in)
            await session.commit()
        logger.info(
            "delivery %s of %s to %s: %s (attempt %d, %s)",
            delivery.id,
            delivery.event_type,
            delivery.target,
            status,
            delivery.attempts + 1,
            result.error or result.status_code,
        )


def _kommo_client(settings: Settings) -> KommoClient | None:
    if not settings.kommo_configured:
        return None
    token = settings.kommo_access_token.get_secret_value()
    return KommoClient(settings.kommo_api_base, token, settings.webhook_timeout_seconds)
