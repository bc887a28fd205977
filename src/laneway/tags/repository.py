"""Every query on tags, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from laneway.tags.models import Tag


def many(session: Session, workspace_id: str, tag_ids: Sequence[str]) -> list[Tag]:
    if not tag_ids:
        return []
    return list(
        session.scalars(select(Tag).where(Tag.workspace_id == workspace_id, Tag.id.in_(list(tag_ids))))
    )


def by_name(session: Session, workspace_id: str, name: str) -> Tag | None:
    return session.scalars(select(Tag).where(Tag.workspace_id == workspace_id, Tag.name == name)).first()
