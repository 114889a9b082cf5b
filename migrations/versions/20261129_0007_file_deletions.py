"""file deletions recorded with the rows that named the files

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 21:30:00+00:00

Deleting a job (or only its files) writes the stored locations to remove in the same
transaction; a sweeper removes them after commit and then forgets the record, so a
crash between the two leaves a record to finish, never an orphan. ``location`` is a
stored location (``upload:<job>``, ``output:<job>``), not a filesystem path, so an
object-store key fits as well.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_deletions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_deletions")),
    )


def downgrade() -> None:
    op.drop_table("file_deletions")
