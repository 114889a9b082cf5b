from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Computed, ForeignKey, Index, Integer, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from media_analysis.db.base import Base, created_at_column, uuid_pk


class DocumentText(Base):
    """One page, slide, sheet or section of an extracted document, searchable."""

    __tablename__ = "document_texts"

    id: Mapped[uuid.UUID] = uuid_pk()
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    section_index: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('english', coalesce(title, '') || ' ' || text)", persisted=True),
    )
    created_at: Mapped[datetime] = created_at_column()

    __table_args__ = (
        Index(None, "job_id"),
        Index("ix_document_texts_search", "search_vector", postgresql_using="gin"),
    )
