"""Creating workspaces: the workspace, its first admin and that admin's API key."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import Session

from laneway.auth.models import ApiKey
from laneway.auth.service import create_key
from laneway.kit.errors import BadRequest, NotFound
from laneway.members.models import Membership, User
from laneway.members.service import add_member
from laneway.workspaces import repository
from laneway.workspaces.models import Workspace

DEFAULT_TITLE_QUOTA = 1000


@dataclass(frozen=True)
class NewWorkspace:
    workspace: Workspace
    admin: User
    membership: Membership
    key: ApiKey
    clear_key: str


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "workspace"


def _free_slug(session: Session, name: str) -> str:
    base = slugify(name)
    slug, n = base, 1
    while repository.slug_taken(session, slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_workspace(
    session: Session,
    *,
    name: str,
    admin_email: str,
    admin_name: str | None = None,
    domain: str | None = None,
    slack_channel: str | None = None,
    slack_token: str | None = None,
    title_quota: int = DEFAULT_TITLE_QUOTA,
    publish: bool = False,
) -> NewWorkspace:
    """A workspace with one ADMIN member and an API key for that admin."""
    if not name.strip():
        raise BadRequest("name must not be blank")
    if title_quota < 0:
        raise BadRequest("title quota must be 0 or more")
    workspace = Workspace(
        name=name.strip(),
        slug=_free_slug(session, name),
        domain=domain,
        is_published=publish,
        slack_notification_channel_id=slack_channel,
        slack_bot_token=slack_token,
        remaining_generated_thread_titles=title_quota,
    )
    session.add(workspace)
    session.flush()
    admin, membership = add_member(session, workspace.id, admin_email, admin_name, "ADMIN")
    key, clear = create_key(session, membership)
    return NewWorkspace(workspace, admin, membership, key, clear)


def require_published(session: Session, workspace_id: str) -> Workspace:
    """A workspace whose public portal is open. Unknown and unpublished workspaces answer
    alike, so the portal says nothing about a workspace before it opens."""
    workspace = repository.get_published(session, workspace_id)
    if workspace is None:
        raise NotFound("Workspace not found")
    return workspace
