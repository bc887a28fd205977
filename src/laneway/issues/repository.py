"""Every query on roadmap issues, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from laneway.issues.models import Issue


def get(session: Session, workspace_id: str, issue_id: str) -> Issue | None:
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
