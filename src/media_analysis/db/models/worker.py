from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from media_analysis.db.base import Base, created_at_column


class WorkerHeartbeat(Base):
    """A live job worker; rows whose heartbeat is stale belong to dead workers."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    hostname: Mapped[str] = mapped_column(Text)
    pid: Mapped[int] = mapped_column(Integer)
    concurrency: Mapped[int] = mapped_column(Integer)
    running_jobs: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    started_at: Mapped[datetime] = created_at_column()
    last_heartbeat_at: Mapped[datetime] = created_at_column()

    __table_args__ = (Index(None, "last_heartbeat_at"),)
