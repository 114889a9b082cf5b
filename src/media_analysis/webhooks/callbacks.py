"""A submission's own callback: vetted before its job exists, stored with the job."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.config import Settings
from media_analysis.db.models import JobCallback
from media_analysis.errors import BadRequest, FetchFailed, UnsafeURL
from media_analysis.media.address_policy import Resolver, resolve_host
from media_analysis.media.url_target import pin_url
from media_analysis.webhooks.event_types import TERMINAL_EVENTS


class InvalidCallback(BadRequest):
    code = "invalid_callback"
    title = "Callback Not Accepted"


@dataclass(frozen=True)
class CallbackRequest:
    url: str | None
    event_types: tuple[str, ...] = TERMINAL_EVENTS
    kommo_lead_id: int | None = None


async def vet_callback(
    settings: Settings, request: CallbackRequest | None, resolve: Resolver = resolve_host
) -> CallbackRequest | None:
    """Refuse a callback the service could not deliver, before any job is made."""
    if request is None:
        return None
    if request.url is not None:
        await vet_receiver_url(request.url, settings, resolve)
    if request.kommo_lead_id is not None and not settings.kommo_configured:
        raise InvalidCallback(
            "kommo_lead_id needs KOMMO_SUBDOMAIN and KOMMO_ACCESS_TOKEN on the server."
        )
    return request


async def vet_receiver_url(url: str, settings: Settings, resolve: Resolver = resolve_host) -> None:
    """The media URL rules: http(s), and only public addresses unless private ones are allowed."""
    try:
        await pin_url(httpx.URL(url), allow_private=settings.allow_private_urls, resolve=resolve)
    except UnsafeURL as exc:
        raise UnsafeURL(f"The callback URL is not allowed: {exc.detail}") from None
    except FetchFailed as exc:
        raise InvalidCallback(f"The callback URL cannot be used: {exc.detail}") from None
    except httpx.InvalidURL:
        raise InvalidCallback("The callback URL is not valid.") from None


async def register_job_callback(
    session: AsyncSession, job_id: uuid.UUID, request: CallbackRequest | None
) -> None:
    if request is None:
        return
    session.add(
        JobCallback(
            job_id=job_id,
            url=request.url,
            event_types=list(request.event_types),
            kommo_lead_id=request.kommo_lead_id,
        )
    )
    await session.flush()
