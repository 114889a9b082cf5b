"""Who is calling: API-key check and the per-client session bookkeeping.

Request counts are gathered in memory and written in one batch every few seconds,
so no request waits on a database write just to be counted.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.repositories import SessionActivity, SessionRepository
from media_analysis.errors import Unauthorized

logger = logging.getLogger(__name__)

SESSION_NAMESPACE = uuid.UUID("6f1d3c52-9a0e-4d59-8f0c-2b6e1a7c4d10")


@dataclass(frozen=True)
class ClientIdentity:
    session_id: uuid.UUID
    client_id: str
    api_key_fingerprint: str | None
    ip_address: str | None
    user_agent: str | None
    is_admin: bool = False

    @property
    def idempotency_scope(self) -> str:
        return self.api_key_fingerprint or "anonymous"

    @property
    def owner_scope(self) -> str | None:
        """Whose jobs this client sees: its key's, or everyone's (None) for an administrator
        or when the service runs without keys."""
        return None if self.is_admin else self.api_key_fingerprint


@lru_cache(maxsize=64)
def fingerprint(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


@lru_cache(maxsize=8)
def admin_fingerprints(admin_keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fingerprint(key) for key in admin_keys)


def authenticate(presented: str | None, configured: tuple[str, ...]) -> str | None:
    """Return the fingerprint of the matching key; raise Unauthorized when none matches."""
    if not configured:
        return None
    if not presented:
        raise Unauthorized("Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'.")
    matched = False
    for key in configured:
        matched |= hmac.compare_digest(presented.encode(), key.encode())
    if not matched:
        raise Unauthorized("The API key is not valid.")
    return fingerprint(presented)


def authorize_scrape(presented: str | None, settings: Settings) -> None:
    """Metrics take their own token when one is set; otherwise any API key."""
    token = settings.metrics_token.get_secret_value()
    if token:
        if not presented or not hmac.compare_digest(presented.encode(), token.encode()):
            raise Unauthorized("Send the metrics token as 'Authorization: Bearer <token>'.")
        return
    authenticate(presented, settings.api_keys)


@lru_cache(maxsize=4096)
def identify(
    key_fingerprint: str | None, ip: str | None, user_agent: str | None, is_admin: bool = False
) -> ClientIdentity:
    """A session is one API key at one address; its latest user agent is recorded with it."""
    raw = f"{key_fingerprint or '-'}|{ip or '-'}"
    client_id = hashlib.sha256(raw.encode()).hexdigest()
    return ClientIdentity(
        session_id=uuid.uuid5(SESSION_NAMESPACE, client_id),
        client_id=client_id,
        api_key_fingerprint=key_fingerprint,
        ip_address=ip,
        user_agent=user_agent[:500] if user_agent else None,
        is_admin=is_admin,
    )


class SessionTracker:
    def __init__(self) -> None:
        self._pending: dict[uuid.UUID, SessionActivity] = {}

    def record(self, client: ClientIdentity) -> None:
        now = datetime.now(UTC)
        activity = self._pending.get(client.session_id)
        if activity is None:
            self._pending[client.session_id] = activity_of(client, requests=1, now=now)
        else:
            activity.requests += 1
            activity.last_seen = now
            activity.user_agent = client.user_agent

    async def flush(self, session_factory: async_sessionmaker[AsyncSession]) -> int:
        pending, self._pending = self._pending, {}
        if not pending:
            return 0
        try:
            async with session_factory() as session:
                await SessionRepository(session).record(pending.values())
                await session.commit()
        except Exception:
            logger.warning("could not record client sessions; will retry", exc_info=True)
            self._merge_back(pending)
            return 0
        return len(pending)

    async def run(self, session_factory: async_sessionmaker[AsyncSession], every: float) -> None:
        while True:
            await asyncio.sleep(every)
            await self.flush(session_factory)

    def _merge_back(self, pending: dict[uuid.UUID, SessionActivity]) -> None:
        for session_id, activity in pending.items():
            newer = self._pending.get(session_id)
            if newer is not None:
                activity.requests += newer.requests
                activity.last_seen = max(activity.last_seen, newer.last_seen)
            self._pending[session_id] = activity


def activity_of(
    client: ClientIdentity, *, requests: int = 0, now: datetime | None = None
) -> SessionActivity:
    """The client as a sessions row: ``requests`` made since the row was last written."""
    return SessionActivity(
        session_id=client.session_id,
        client_id=client.client_id,
        api_key_fingerprint=client.api_key_fingerprint,
        user_agent=client.user_agent,
        ip_address=client.ip_address,
        requests=requests,
        last_seen=now or datetime.now(UTC),
    )
