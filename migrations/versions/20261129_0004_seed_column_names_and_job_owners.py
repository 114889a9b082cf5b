"""the seed design's column names; jobs owned by the API key that made them

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 18:30:00+00:00

Renames keep every row: ``transcriptions.text`` → ``text_content``, ``words`` →
``word_timestamps``, ``confidence`` → ``confidence_score``, ``sessions.last_activity_at``
→ ``last_activity``. PostgreSQL rewrites the generated search column's expression
with the rename. Existing jobs get the owner of the session that submitted them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRANSCRIPTION_RENAMES = (
    ("text", "text_content"),
    ("words", "word_timestamps"),
    ("confidence", "confidence_score"),
)


def upgrade() -> None:
    for old, new in TRANSCRIPTION_RENAMES:
        op.alter_column("transcriptions", old, new_column_name=new)
    op.add_column(
        "transcriptions",
        sa.Column(
            "metadata",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
    )
    op.create_index(op.f("ix_transcriptions_provider"), "transcriptions", ["provider"])

    op.alter_column("sessions", "last_activity_at", new_column_name="last_activity")
    op.execute("ALTER INDEX ix_sessions_last_activity_at RENAME TO ix_sessions_last_activity")

    op.add_column("analysis_results", sa.Column("analysis_type", sa.String(30), nullable=True))

    op.add_column("jobs", sa.Column("owner_key_fingerprint", sa.String(16), nullable=True))
    op.execute(
        "UPDATE jobs SET owner_key_fingerprint = sessions.api_key_fingerprint "
        "FROM sessions WHERE jobs.session_id = sessions.id"
    )
    op.create_index(
        op.f("ix_jobs_owner_key_fingerprint_created_at"),
        "jobs",
        ["owner_key_fingerprint", "created_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_jobs_owner_key_fingerprint_created_at"), table_name="jobs")
    op.drop_column("jobs", "owner_key_fingerprint")

    op.drop_column("analysis_results", "analysis_type")

    op.execute("ALTER INDEX ix_sessions_last_activity RENAME TO ix_sessions_last_activity_at")
    op.alter_column("sessions", "last_activity", new_column_name="last_activity_at")

    op.drop_index(op.f("ix_transcriptions_provider"), table_name="transcriptions")
    op.drop_column("transcriptions", "metadata")
    for old, new in TRANSCRIPTION_RENAMES:
        op.alter_column("transcriptions", new, new_column_name=old)
