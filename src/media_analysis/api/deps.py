"""Dependencies shared by the routers: the runtime, the unit of work, the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.api.clients import (
    ClientIdentity,
    admin_fingerprints,
    authenticate,
    identify,
)
from media_analysis.errors import Forbidden
from media_analysis.runtime import Runtime


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def unit_of_work(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed once after the route returns."""
    async with runtime.session_factory() as session:
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
    # Reads the runtime from app state rather than depending on RuntimeDep: every
    # authenticated request runs this, and each dependency costs a resolution step.
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    key_fingerprint = authenticate(presented_api_key(request), settings.api_keys)
    client = identify(
        key_fingerprint,
        request.client.host if request.client else None,
        request.headers.get("user-agent"),
        key_fingerprint is not None and key_fingerprint in admin_fingerprints(settings.admin_keys),
    )
    runtime.sessions.record(client)
    return client


Client = Annotated[ClientIdentity, Depends(require_client)]


async def require_operator(client: Client) -> ClientIdentity:
    """Settings that concern every client's jobs: an administrator key, or no keys at all."""
    if client.owner_scope is not None:
        raise Forbidden("This needs an administrator key (MEDIA_ANALYSIS_ADMIN_API_KEYS).")
    return client


Operator = Annotated[ClientIdentity, Depends(require_operator)]
