from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from media_analysis.db.base import Base, created_at_column


class FileDeletion(Base):
    """A stored file or folder that no row names any more; removed after commit, then forgotten.

    ``location`` is a stored location (``upload:<job>``), never a filesystem path.
    """

    __tablename__ = "file_deletions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    location: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
