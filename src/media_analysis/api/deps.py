"""Dependencies shared by the routers: what the app holds, the unit of work, the caller.

The lifespan (``app``) puts the parts on ``app.state``; each dependency hands a route
the one part it uses.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from media_analysis.api.clients import (
    ClientIdentity,
    SessionTracker,
    admin_fingerprints,
    authenticate,
    identify,
)
from media_analysis.config import Settings
from media_analysis.db.models import Job
from media_analysis.errors import Forbidden
from media_analysis.jobs.broker import EventBroker
from media_analysis.jobs.submission import wait_for_job
from media_analysis.storage import Storage

WaitForJob = Callable[[uuid.UUID, float], Awaitable[Job | None]]


async def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def database_engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.database.engine
    return engine


async def session_factory(request: Request) -> async_sessionmaker[AsyncSession]:
    factory: async_sessionmaker[AsyncSession] = request.app.state.database.session_factory
    return factory


async def event_broker(request: Request) -> EventBroker:
    broker: EventBroker = request.app.state.broker
    return broker


async def file_store(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


SettingsDep = Annotated[Settings, Depends(app_settings)]
StorageDep = Annotated[Storage, Depends(file_store)]
EngineDep = Annotated[AsyncEngine, Depends(database_engine)]
SessionFactory = Annotated[async_sessionmaker[AsyncSession], Depends(session_factory)]
Broker = Annotated[EventBroker, Depends(event_broker)]


async def job_waiter(factory: SessionFactory, broker: Broker) -> WaitForJob:
    """Waiting for a job: until it ends or the seconds pass, then the job as it is."""
    return functools.partial(wait_for_job, factory, broker)


JobWaiter = Annotated[WaitForJob, Depends(job_waiter)]


async def unit_of_work(factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed once after the route returns."""
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


DbSession = Annotated[AsyncSession, Depends(unit_of_work, scope="function")]


def presented_api_key(request: Request) -> str | None:
    """The key from ``Authorization: Bearer`` or ``X-API-Key``, surrounding spaces ignored."""
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("x-api-key", "").strip() or None


async def require_client(request: Request) -> ClientIdentity:
    # Reads app state itself rather than depending on SettingsDep: every authenticated
    # request runs this, and each dependency costs a resolution step.
    settings: Settings = request.app.state.settings
    sessions: SessionTracker = request.app.state.sessions
    key_fingerprint = authenticate(presented_api_key(request), settings.api_keys)
    client = identify(
        key_fingerprint,
        request.client.host if request.client else None,
        request.headers.get("user-agent"),
        key_fingerprint is not None and key_fingerprint in admin_fingerprints(settings.admin_keys),
    )
    sessions.record(client)
    return client


Client = Annotated[ClientIdentity, Depends(require_client)]


async def require_operator(client: Client) -> ClientIdentity:
    """Settings that concern every client's jobs: an administrator key, or no keys at all."""
    if client.owner_scope is not None:
        raise Forbidden("This needs an administrator key (MEDIA_ANALYSIS_ADMIN_API_KEYS).")
    return client


Operator = Annotated[ClientIdentity, Depends(require_operator)]
