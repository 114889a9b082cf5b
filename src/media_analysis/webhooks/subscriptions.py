"""Operators' subscriptions: endpoints that receive the events of every job."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import WebhookSubscription
from media_analysis.webhooks.signing import new_secret


async def create_subscription(
    session: AsyncSession,
    *,
    url: str | None,
    event_types: Sequence[str],
    enabled: bool,
    description: str | None,
    kommo_lead_id: int | None,
) -> WebhookSubscription:
    subscription = WebhookSubscription(
        id=uuid.uuid4(),
        url=url,
        secret=new_secret(),
        event_types=list(dict.fromkeys(event_types)),
        enabled=enabled,
        description=description,
        kommo_lead_id=kommo_lead_id,
    )
    session.add(subscription)
    await session.flush()
    await session.refresh(subscription)
    return subscription


async def list_subscriptions(session: AsyncSession) -> Sequence[WebhookSubscription]:
    query = select(WebhookSubscription).order_by(WebhookSubscription.created_at)
    return list((await session.execute(query)).scalars())


async def get_subscription(
    session: AsyncSession, subscription_id: uuid.UUID
) -> WebhookSubscription | None:
    return await session.get(WebhookSubscription, subscription_id)


async def delete_subscription(session: AsyncSession, subscription_id: uuid.UUID) -> bool:
    statement = (
        delete(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id)
        .returning(WebhookSubscription.id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None
