"""Tags that threads are sorted with."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from laneway.kit.errors import BadRequest, Conflict, NotFound
from laneway.tags import repository
from laneway.tags.models import Tag


def create_tag(session: Session, workspace_id: str, *, name: str, color: str | None = None) -> Tag:
    """A new tag; names are unique within a workspace."""
    name = name.strip()
    if not name or len(name) > 255:
        raise BadRequest("name must be 1 to 255 characters and not blank")
    if repository.by_name(session, workspace_id, name) is not None:
        raise Conflict(f"A tag named {name!r} already exists")
    tag = Tag(workspace_id=workspace_id, name=name, color=color)
    session.add(tag)
    session.flush()
    return tag


def require_tags(session: Session, workspace_id: str, tag_ids: Sequence[str]) -> list[Tag]:
    """The workspace's tags with these ids, in the order given; NotFound names the first unknown."""
    wanted = list(dict.fromkeys(tag_ids))
    found = {tag.id: tag for tag in repository.many(session, workspace_id, wanted)}
    for tag_id in wanted:
        if tag_id not in found:
            raise NotFound(f"No tag with id {tag_id}")
    return [found[t] for t in wanted]
