"""listing indexes for large workspaces

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 22:10:00.000000

The thread listing indexes take is_deleted, so that a page query (and a deep skip) is
answered from the index alone; the project and issue links keep their thread's createdAt,
so that a project's newest threads are read in order from its own index instead of sorting
all of its threads.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from laneway.kit.models import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINKS = (("thread_projects", "project"), ("thread_issues", "issue"))


def upgrade() -> None:
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_index("ix_threads_workspace_created")
        batch_op.drop_index("ix_threads_workspace_state_created")
        batch_op.create_index(
            "ix_threads_workspace_live_created", ["workspace_id", "is_deleted", "created_at", "id"]
        )
        batch_op.create_index(
            "ix_threads_workspace_live_state_created",
            ["workspace_id", "is_deleted", "state", "created_at", "id"],
        )
    for table, kind in LINKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("thread_created_at", UTCDateTime(timezone=True), nullable=True))
        links = sa.table(table, sa.column("thread_id"), sa.column("thread_created_at"))
        threads = sa.table("threads", sa.column("id"), sa.column("created_at"))
        created = sa.select(threads.c.created_at).where(threads.c.id == links.c.thread_id)
        op.execute(links.update().values(thread_created_at=created.scalar_subquery()))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "thread_created_at", existing_type=UTCDateTime(timezone=True), nullable=False
            )
            batch_op.drop_index(f"ix_{table}_{kind}")
            batch_op.create_index(
                f"ix_{table}_{kind}_recent", ["workspace_id", f"{kind}_id", "thread_created_at", "thread_id"]
            )


def downgrade() -> None:
    for table, kind in LINKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_{kind}_recent")
            batch_op.create_index(f"ix_{table}_{kind}", ["workspace_id", f"{kind}_id"])
            batch_op.drop_column("thread_created_at")
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_index("ix_threads_workspace_live_state_created")
        batch_op.drop_index("ix_threads_workspace_live_created")
        batch_op.create_index(
            "ix_threads_workspace_state_created", ["workspace_id", "state", "created_at", "id"]
        )
        batch_op.create_index("ix_threads_workspace_created", ["workspace_id", "created_at", "id"])
