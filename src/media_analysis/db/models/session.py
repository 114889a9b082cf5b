from __future__ import annotations

import uuid
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.dialects.postgresql import INET
from sqlalchemy.orm import Mapped, mapped_column

from media_analysis.db.base import Base, created_at_column, uuid_pk


class ClientSession(Base):
    """One API client: identified by its key fingerprint and address; the user agent is noted."""

    __tablename__ = "sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    api_key_fingerprint: Mapped[str | None] = mapped_column(String(16))
    user_agent: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[IPv4Address | IPv6Address | None] = mapped_column(INET)
    request_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = created_at_column()
    last_activity: Mapped[datetime] = created_at_column()

    __table_args__ = (Index(None, "last_activity"),)
