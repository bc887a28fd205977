from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from laneway.kit.models import Base, IdColumn, IdMixin, TimestampMixin


class Issue(IdMixin, TimestampMixin, Base):
    """A roadmap issue (mirrors a Linear issue), optionally inside a project."""

    __tablename__ = "issues"

    workspace_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[str | None] = mapped_column(
        IdColumn, ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(512))
    description: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str | None] = mapped_column(String(64))
    linear_issue_id: Mapped[str | None] = mapped_column(String(255))
    upvotes: Mapped[int] = mapped_column(Integer, default=0)
