from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Computed, Float, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from media_analysis.db.base import Base, created_at_column, uuid_pk


class AnalysisResult(Base):
    __tablename__ = "analysis_results"

    id: Mapped[uuid.UUID] = uuid_pk()
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    analysis_type: Mapped[str | None] = mapped_column(String(30))
    provider: Mapped[str] = mapped_column(String(40))
    model_used: Mapped[str | None] = mapped_column(String(100))
    prompt_used: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    detailed_analysis: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    confidence_score: Mapped[float | None] = mapped_column(Float)
    token_usage: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    attempts: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed(
            "to_tsvector('english', coalesce(summary, '') || ' ' || "
            "coalesce(detailed_analysis ->> 'answer', ''))",
            persisted=True,
        ),
    )
    created_at: Mapped[datetime] = created_at_column()

    __table_args__ = (
        Index(None, "job_id"),
        Index("ix_analysis_results_search", "search_vector", postgresql_using="gin"),
    )
