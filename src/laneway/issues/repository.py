"""Every query on roadmap issues, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from laneway.issues.models import Issue


def get(session: Session, workspace_id: str, issue_id: str) -> Issue | None:
    if "\x00" in issue_id:
        return None  # ids in URLs: none holds NUL, and PostgreSQL refuses to compare one
    return session.scalars(
        select(Issue).where(Issue.workspace_id == workspace_id, Issue.id == issue_id)
    ).first()


def many(session: Session, workspace_id: str, issue_ids: Sequence[str]) -> list[Issue]:
    if not issue_ids:
        return []
    return list(
        session.scalars(
            select(Issue)
            .where(Issue.workspace_id == workspace_id, Issue.id.in_(list(issue_ids)))
            .order_by(Issue.created_at, Issue.id)
        )
    )


def for_portal(session: Session, workspace_id: str) -> list[Issue]:
    """Every issue of the workspace, oldest first."""
    return list(
        session.scalars(
            select(Issue).where(Issue.workspace_id == workspace_id).order_by(Issue.created_at, Issue.id)
        )
    )
