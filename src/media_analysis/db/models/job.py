from __future__ import annotations

import enum
import uuid
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.dialects.postgresql import INET
from sqlalchemy.orm import Mapped, mapped_column, validates

from media_analysis.db.base import Base, StrEnumColumn, created_at_column, uuid_pk


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[uuid.UUID] = uuid_pk()
    job_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[JobStatus] = mapped_column(
        StrEnumColumn(JobStatus, 20), default=JobStatus.PENDING
    )
    media_type: Mapped[str | None] = mapped_column(String(20))
    media_url: Mapped[str | None] = mapped_column(Text)
    original_filename: Mapped[str | None] = mapped_column(Text)
    prompt: Mapped[str | None] = mapped_column(Text)
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    result: Mapped[dict[str, Any] | None]
    error: Mapped[dict[str, Any] | None]
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )
    client_ip: Mapped[IPv4Address | IPv6Address | None] = mapped_column(INET)
    owner_key_fingerprint: Mapped[str | None] = mapped_column(String(16))
    """The API key that submitted the job; other keys cannot see it (null: no keys)."""
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    processing_time_ms: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    max_attempts: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    run_after: Mapped[datetime] = created_at_column()
    worker_id: Mapped[str | None] = mapped_column(String(80))
    lease_expires_at: Mapped[datetime | None]
    files_deleted_at: Mapped[datetime | None]
    cancel_requested: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    @validates("status")
    def _status_as_enum(self, _key: str, value: str) -> JobStatus:
        """A status set in Python is a JobStatus too, as one read from the database is."""
        return JobStatus(value)

    __table_args__ = (
        Index(None, "status"),
        Index(None, "created_at"),
        Index(None, "session_id"),
        Index(None, "owner_key_fingerprint", "created_at"),
        Index(None, "job_type", "status"),
        Index(
            "ix_jobs_claimable",
            "run_after",
            "created_at",
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_jobs_leases", "lease_expires_at", postgresql_where=text("status = 'processing'")),
        Index(
            "uq_jobs_idempotency_key",
            "idempotency_key",
            unique=True,
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
    )
