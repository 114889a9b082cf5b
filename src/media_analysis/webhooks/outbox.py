"""The delivery outbox: rows written with a job's outcome, claimed with SKIP LOCKED.

The rows are written by the database itself: a trigger on ``job_events`` (migration
0006) adds the deliveries an event owes in the transaction that stores the event, so a
delivery exists exactly when the outcome it announces was committed. Every function
here takes a session and only executes; the caller commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.channels import WEBHOOKS_CHANNEL, notify
from media_analysis.db.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from media_analysis.webhooks.retry_policy import AttemptResult, Verdict


async def claim_due(
    session: AsyncSession, limit: int, claim_seconds: float
) -> Sequence[WebhookDelivery]:
    """Take up to ``limit`` due deliveries; one whose sender dies is due again later."""
    due = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= func.now(),
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(due))
        .values(next_attempt_at=func.now() + timedelta(seconds=claim_seconds))
        .returning(WebhookDelivery)
        .execution_options(synchronize_session=False)
    )
    return list((await session.execute(statement)).scalars())


async def record_attempt(
    session: AsyncSession,
    delivery: WebhookDelivery,
    result: AttemptResult,
    retry_in: float | None,
) -> str:
    """Store the attempt and the delivery's new state; returns that state."""
    number = delivery.attempts + 1
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            number=number,
            status_code=result.status_code,
            latency_ms=result.latency_ms,
            error=result.error,
        )
    )
    status = _status_after(result.verdict, retry_in)
    values: dict[str, object] = {
        "attempts": number,
        "status": status,
        "last_status_code": result.status_code,
        "last_error": result.error,
    }
    if status == DeliveryStatus.PENDING and retry_in is not None:
        values["next_attempt_at"] = func.now() + timedelta(seconds=retry_in)
    if status == DeliveryStatus.DELIVERED:
        values["delivered_at"] = func.now()
    await session.execute(
        update(WebhookDelivery).where(WebhookDelivery.id == delivery.id).values(**values)
    )
    if result.verdict is Verdict.STOP and delivery.subscription_id is not None:
        await disable_subscription(session, delivery.subscription_id)
    return status


def _status_after(verdict: Verdict, retry_in: float | None) -> DeliveryStatus:
    if verdict is Verdict.DELIVERED:
        return DeliveryStatus.DELIVERED
    if verdict is Verdict.STOP:
        return DeliveryStatus.STOPPED
    if verdict is Verdict.RETRY and retry_in is not None:
        return DeliveryStatus.PENDING
    return DeliveryStatus.FAILED


async def disable_subscription(session: AsyncSession, subscription_id: uuid.UUID) -> None:
    await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id)
        .values(enabled=False)
    )


async def replay(session: AsyncSession, delivery_id: uuid.UUID) -> WebhookDelivery | None:
    """Send a delivery again now, under the same webhook-id, whatever its state."""
    statement = (
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id)
        .values(status=DeliveryStatus.PENDING, next_attempt_at=func.now())
        .returning(WebhookDelivery)
        .execution_options(synchronize_session=False)
    )
    delivery = (await session.execute(statement)).scalar_one_or_none()
    if delivery is not None:
        await notify(session, WEBHOOKS_CHANNEL, str(delivery.job_id))
    return delivery


async def deliveries_of_job(
    session: AsyncSession, job_id: uuid.UUID
) -> list[tuple[WebhookDelivery, list[WebhookAttempt]]]:
    deliveries = (
        await session.execute(
            select(WebhookDelivery)
            .where(WebhookDelivery.job_id == job_id)
            .order_by(WebhookDelivery.created_at, WebhookDelivery.id)
        )
    ).scalars()
    found = list(deliveries)
    by_delivery: dict[uuid.UUID, list[WebhookAttempt]] = {d.id: [] for d in found}
    for attempt in await attempts_of(session, list(by_delivery)):
        by_delivery[attempt.delivery_id].append(attempt)
    return [(delivery, by_delivery[delivery.id]) for delivery in found]


async def attempts_of(
    session: AsyncSession, delivery_ids: list[uuid.UUID]
) -> Sequence[WebhookAttempt]:
    query = (
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.id)
    )
    return list((await session.execute(query)).scalars())


def message_id(delivery_id: uuid.UUID) -> str:
    """The webhook-id: fixed per delivery, so receivers can drop repeats."""
    return f"msg_{delivery_id.hex}"


async def seconds_to_next_due(session: AsyncSession) -> float | None:
    """How long until the earliest pending delivery is due; None when none is pending."""
    query = select(
        func.extract("epoch", func.min(WebhookDelivery.next_attempt_at) - func.now())
    ).where(WebhookDelivery.status == DeliveryStatus.PENDING)
    seconds = (await session.execute(query)).scalar_one_or_none()
    return None if seconds is None else max(float(seconds), 0.0)
