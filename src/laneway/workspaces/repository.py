from __future__ import annotations

from sqlalchemy import RowMapping, bindparam, select, update
from sqlalchemy.orm import Session

from laneway.workspaces.models import Workspace


def get(session: Session, workspace_id: str) -> Workspace | None:
    if "\x00" in workspace_id:
        return None  # ids in URLs: none holds NUL, and PostgreSQL refuses to compare one
    return session.get(Workspace, workspace_id)


_EMBED = select(  # built once: every thread create answers with it
    Workspace.id,
    Workspace.name,
    Workspace.domain,
    Workspace.remaining_generated_thread_titles,
    Workspace.slack_notification_channel_id,
).where(Workspace.id == bindparam("workspace_id"))


def embed_row(session: Session, workspace_id: str) -> RowMapping | None:
    """What a created thread shows of its workspace, as it is now in this transaction."""
    return session.connection().execute(_EMBED, {"workspace_id": workspace_id}).mappings().first()


def slug_taken(session: Session, slug: str) -> bool:
    return session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is not None


def take_generated_title(session: Session, workspace_id: str) -> bool:
    """Spend one generated title if any are left; atomic, so concurrent creates never overspend."""
    spent = session.connection().execute(_TAKE_TITLE, {"workspace_id": workspace_id}).first()
    return spent is not None


_TAKE_TITLE = (  # built once: every thread create without a title runs it
    update(Workspace)
    .where(Workspace.id == bindparam("workspace_id"), Workspace.remaining_generated_thread_titles > 0)
    .values(remaining_generated_thread_titles=Workspace.remaining_generated_thread_titles - 1)
    .returning(Workspace.id)
)


def get_published(session: Session, workspace_id: str) -> Workspace | None:
    """The workspace when its public portal is published; None for unknown and unpublished ones."""
    if "\x00" in workspace_id:
        return None  # ids in URLs: none holds NUL, and PostgreSQL refuses to compare one
    return session.scalars(
        select(Workspace).where(Workspace.id == workspace_id, Workspace.is_published.is_(True))
    ).first()
