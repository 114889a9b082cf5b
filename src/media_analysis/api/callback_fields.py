"""The fields every submission may carry to be told when its job ends."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from media_analysis.api.request_models import RequestModel
from media_analysis.api.urls import HttpUrl
from media_analysis.webhooks.callbacks import CallbackRequest
from media_analysis.webhooks.event_types import TERMINAL_EVENTS, EventType


def _listed(value: Any) -> Any:
    """Form fields carry one string: ``job.completed,job.failed``."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()] or None
    return value


CallbackUrl = HttpUrl
CallbackEvents = Annotated[list[EventType] | None, BeforeValidator(_listed)]


class CallbackFields(RequestModel):
    callback_url: CallbackUrl = Field(
        None, description="Receives a signed Standard Webhooks POST when the job ends."
    )
    callback_events: CallbackEvents = Field(
        None,
        description="Events for callback_url (default: the job's terminal event); "
        "job.progress only when listed.",
    )
    kommo_lead_id: int | None = Field(
        None, ge=1, description="Kommo lead that gets the job's outcome as a note."
    )

    def callback_request(self) -> CallbackRequest | None:
        if self.callback_url is None and self.kommo_lead_id is None:
            return None
        events = tuple(dict.fromkeys(self.callback_events or TERMINAL_EVENTS))
        return CallbackRequest(self.callback_url, events, self.kommo_lead_id)
