"""thread counts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 20:28:38.934944
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BACKFILL = [
    "SELECT workspace_id, 'all', 0, COUNT(*) FROM threads WHERE is_deleted = FALSE GROUP BY workspace_id",
    "SELECT workspace_id, 'state:' || state, 0, COUNT(*) FROM threads WHERE is_deleted = FALSE"
    " GROUP BY workspace_id, state",
    "SELECT l.workspace_id, 'project:' || l.project_id, 0, COUNT(*) FROM thread_projects l"
    " JOIN threads t ON t.id = l.thread_id WHERE t.is_deleted = FALSE GROUP BY l.workspace_id, l.project_id",
    "SELECT l.workspace_id, 'issue:' || l.issue_id, 0, COUNT(*) FROM thread_issues l"
    " JOIN threads t ON t.id = l.thread_id WHERE t.is_deleted = FALSE GROUP BY l.workspace_id, l.issue_id",
]


def upgrade() -> None:
    op.create_table(
        "thread_counts",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("shard", sa.SmallInteger(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_thread_counts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "scope", "shard", name=op.f("pk_thread_counts")),
    )
    # The counts of the threads already there (shard 0); from now on writers keep them.
    for query in BACKFILL:
        op.execute(f"INSERT INTO thread_counts (workspace_id, scope, shard, n) {query}")


def downgrade() -> None:
    op.drop_table("thread_counts")
