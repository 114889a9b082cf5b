from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from media_analysis.api.callback_fields import CallbackUrl
from media_analysis.api.request_models import RequestModel
from media_analysis.db.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from media_analysis.webhooks.event_types import TERMINAL_EVENTS, EventType
from media_analysis.webhooks.outbox import message_id


class SubscriptionIn(RequestModel):
    model_config = ConfigDict(extra="forbid")

    url: CallbackUrl = Field(None, description="Receives signed Standard Webhooks POSTs.")
    events: list[EventType] = Field(
        default_factory=lambda: list(TERMINAL_EVENTS), min_length=1, description="Event filter."
    )
    enabled: bool = True
    description: str | None = Field(None, max_length=500)
    kommo_lead_id: int | None = Field(
        None, ge=1, description="Kommo lead that gets every job's outcome as a note."
    )

    @model_validator(mode="after")
    def _has_receiver(self) -> SubscriptionIn:
        if self.url is None and self.kommo_lead_id is None:
            raise ValueError("give a url, a kommo_lead_id, or both")
        return self


class SubscriptionOut(BaseModel):
    id: uuid.UUID
    url: str | None
    events: list[str]
    enabled: bool
    description: str | None
    kommo_lead_id: int | None
    created_at: datetime

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> SubscriptionOut:
        return cls(
            id=subscription.id,
            url=subscription.url,
            events=list(subscription.event_types),
            enabled=subscription.enabled,
            description=subscription.description,
            kommo_lead_id=subscription.kommo_lead_id,
            created_at=subscription.created_at,
        )


class CreatedSubscriptionOut(SubscriptionOut):
    secret: str = Field(description="Verifies the signatures; shown only this once.")


class AttemptOut(BaseModel):
    number: int
    status_code: int | None
    latency_ms: int
    error: str | None
    attempted_at: datetime

    @classmethod
    def of(cls, attempt: WebhookAttempt) -> AttemptOut:
        return cls(
            number=attempt.number,
            status_code=attempt.status_code,
            latency_ms=attempt.latency_ms,
            error=attempt.error,
            attempted_at=attempt.created_at,
        )


class DeliveryOut(BaseModel):
    id: uuid.UUID
    webhook_id: str = Field(description="The webhook-id header: the same on every attempt.")
    job_id: uuid.UUID
    subscription_id: uuid.UUID | None
    target: str = Field(description="webhook or kommo.")
    url: str | None
    kommo_lead_id: int | None
    event_type: str
    status: str = Field(description="pending, delivered, failed or stopped (410 Gone).")
    attempts: list[AttemptOut]
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, delivery: WebhookDelivery, attempts: list[WebhookAttempt]) -> DeliveryOut:
        return cls(
            id=delivery.id,
            webhook_id=message_id(delivery.id),
            job_id=delivery.job_id,
            subscription_id=delivery.subscription_id,
            target=delivery.target,
            url=delivery.url,
            kommo_lead_id=delivery.kommo_lead_id,
            event_type=delivery.event_type,
            status=delivery.status,
            attempts=[AttemptOut.of(attempt) for attempt in attempts],
            next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
        )
