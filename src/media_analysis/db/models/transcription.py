from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Computed, Float, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from media_analysis.db.base import Base, created_at_column, uuid_pk


class Transcription(Base):
    __tablename__ = "transcriptions"

    id: Mapped[uuid.UUID] = uuid_pk()
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(40))
    model: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(20))
    text_content: Mapped[str] = mapped_column(Text, default="", server_default="")
    confidence_score: Mapped[float | None] = mapped_column(Float)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    word_timestamps: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    segments: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    attempts: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict, server_default="{}")
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed("to_tsvector('english', coalesce(text_content, ''))", persisted=True)
    )
    created_at: Mapped[datetime] = created_at_column()

    __table_args__ = (
        Index(None, "job_id"),
        Index(None, "provider"),
        Index("ix_transcriptions_search", "search_vector", postgresql_using="gin"),
    )
