from __future__ import annotations

from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from laneway.kit.models import Base, IdColumn, IdMixin, JSONValue, TimestampMixin


class Project(IdMixin, TimestampMixin, Base):
    """A roadmap project (mirrors a Linear project) that threads can be linked to."""

    __tablename__ = "projects"

    workspace_id: Mapped[str] = mapped_column(
        IdColumn, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    color: Mapped[str | None] = mapped_column(String(32))
    icon: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str | None] = mapped_column(String(64))
    progress: Mapped[float | None] = mapped_column(Float)
    sort_order: Mapped[float | None] = mapped_column(Float)
    importance_score: Mapped[float | None] = mapped_column(Float)
    linear_project_id: Mapped[str | None] = mapped_column(String(255))
    linear_team_ids: Mapped[list[Any]] = mapped_column(JSONValue, default=list)
    upvotes: Mapped[int] = mapped_column(Integer, default=0)
