"""Webhooks: operators' subscriptions, and the deliveries of each job."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from media_analysis.api.deps import Client, DbSession, Operator, SettingsDep
from media_analysis.api.jobs import load_job
from media_analysis.api.openapi_document import problem_responses
from media_analysis.api.webhook_schemas import (
    CreatedSubscriptionOut,
    DeliveryOut,
    SubscriptionIn,
    SubscriptionOut,
)
from media_analysis.errors import NotFound
from media_analysis.webhooks import outbox, subscriptions
from media_analysis.webhooks.callbacks import InvalidCallback, vet_receiver_url

router = APIRouter(prefix="/api/media", tags=["webhooks"])


@router.post(
    "/webhooks",
    response_model=CreatedSubscriptionOut,
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe an endpoint to the events of every job",
    operation_id="create_webhook_subscription",
    responses=problem_responses(403),
)
async def create_subscription(
    body: SubscriptionIn, session: DbSession, settings: SettingsDep, _operator: Operator
) -> CreatedSubscriptionOut:
    """The answer carries the signing secret; it is never shown again."""
    if body.url is not None:
        await vet_receiver_url(body.url, settings)
    if body.kommo_lead_id is not None and not settings.kommo_configured:
        raise InvalidCallback("kommo_lead_id needs KOMMO_SUBDOMAIN and KOMMO_ACCESS_TOKEN.")
    created = await subscriptions.create_subscription(
        session,
        url=body.url,
        event_types=body.events,
        enabled=body.enabled,
        description=body.description,
        kommo_lead_id=body.kommo_lead_id,
    )
    return CreatedSubscriptionOut(**SubscriptionOut.of(created).model_dump(), secret=created.secret)


@router.get(
    "/webhooks",
    response_model=list[SubscriptionOut],
    summary="List subscriptions",
    operation_id="list_webhook_subscriptions",
    responses=problem_responses(403),
)
async def list_subscriptions(session: DbSession, _operator: Operator) -> list[SubscriptionOut]:
    return [SubscriptionOut.of(item) for item in await subscriptions.list_subscriptions(session)]


@router.get(
    "/webhooks/{subscription_id}",
    response_model=SubscriptionOut,
    summary="One subscription",
    operation_id="get_webhook_subscription",
    responses=problem_responses(403, 404),
)
async def get_subscription(
    subscription_id: uuid.UUID, session: DbSession, _operator: Operator
) -> SubscriptionOut:
    found = await subscriptions.get_subscription(session, subscription_id)
    if found is None:
        raise NotFound(f"No webhook subscription with id {subscription_id}.")
    return SubscriptionOut.of(found)


@router.delete(
    "/webhooks/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a subscription and its pending deliveries",
    operation_id="delete_webhook_subscription",
    responses=problem_responses(403, 404),
)
async def delete_subscription(
    subscription_id: uuid.UUID, session: DbSession, _operator: Operator
) -> Response:
    if not await subscriptions.delete_subscription(session, subscription_id):
        raise NotFound(f"No webhook subscription with id {subscription_id}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/jobs/{job_id}/deliveries",
    response_model=list[DeliveryOut],
    summary="Webhook and Kommo deliveries of a job, with every attempt",
    operation_id="list_job_deliveries",
    responses=problem_responses(404),
)
async def job_deliveries(
    job_id: uuid.UUID, session: DbSession, client: Client
) -> list[DeliveryOut]:
    await load_job(session, job_id, client)
    found = await outbox.deliveries_of_job(session, job_id)
    return [DeliveryOut.of(delivery, attempts) for delivery, attempts in found]


@router.post(
    "/webhooks/deliveries/{delivery_id}/retry",
    response_model=DeliveryOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a delivery again now, under the same webhook-id",
    operation_id="retry_delivery",
    responses=problem_responses(403, 404),
)
async def retry_delivery(
    delivery_id: uuid.UUID, session: DbSession, _operator: Operator
) -> DeliveryOut:
    delivery = await outbox.replay(session, delivery_id)
    if delivery is None:
        raise NotFound(f"No delivery with id {delivery_id}.")
    return DeliveryOut.of(delivery, list(await outbox.attempts_of(session, [delivery.id])))
