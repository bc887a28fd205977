"""Every query on projects, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from laneway.projects.models import Project


def get(session: Session, workspace_id: str, project_id: str) -> Project | None:
    if "\x00" in project_id:
        return None  # ids in URLs: none holds NUL, and PostgreSQL refuses to compare one
    return session.scalars(
        select(Project).where(Project.workspace_id == workspace_id, Project.id == project_id)
    ).first()


def many(session: Session, workspace_id: str, project_ids: Sequence[str]) -> list[Project]:
    if not project_ids:
        return []
    return list(
        session.scalars(
            select(Project)
            .where(Project.workspace_id == workspace_id, Project.id.in_(list(project_ids)))
            .order_by(Project.created_at, Project.id)
        )
    )


def for_portal(session: Session, workspace_id: str) -> list[Project]:
    """Every project of the workspace in roadmap order: sortOrder (unset last), then oldest first."""
    return list(
        session.scalars(
            select(Project)
            .where(Project.workspace_id == workspace_id)
            .order_by(Project.sort_order.asc().nulls_last(), Project.created_at, Project.id)
        )
    )
