from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from media_analysis.db.models import ClientSession
from media_analysis.db.repositories.base import Repository


@dataclass
class SessionActivity:
    """Requests seen from one client since the last flush."""

    session_id: uuid.UUID
    client_id: str
    api_key_fingerprint: str | None
    user_agent: str | None
    ip_address: str | None
    requests: int
    last_seen: datetime


class SessionRepository(Repository):
    async def record(self, activities: Iterable[SessionActivity]) -> None:
        for activity in activities:
            statement = insert(ClientSession).values(**_row(activity, activity.requests))
            excluded = statement.excluded
            await self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["id"],
                    set_={
                        "request_count": ClientSession.request_count + excluded.request_count,
                        "last_activity": func.greatest(
                            ClientSession.last_activity, excluded.last_activity
                        ),
                        "user_agent": excluded.user_agent,
                        "ip_address": excluded.ip_address,
                    },
                )
            )

    async def get(self, session_id: uuid.UUID) -> ClientSession | None:
        return await self.session.get(ClientSession, session_id)


def _row(activity: SessionActivity, requests: int) -> dict[str, object]:
    return {
        "id": activity.session_id,
        "client_id": activity.client_id,
        "api_key_fingerprint": activity.api_key_fingerprint,
        "user_agent": activity.user_agent,
        "ip_address": activity.ip_address,
        "request_count": requests,
        "last_activity": activity.last_seen,
    }
