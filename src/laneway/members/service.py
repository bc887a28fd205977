"""Adding people to workspaces."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laneway.contacts.emails import parse_email
from laneway.kit.errors import BadRequest, Conflict
from laneway.members import repository
from laneway.members.models import ROLES, Membership, User


def add_member(
    session: Session, workspace_id: str, email: str, name: str | None = None, role: str = "USER"
) -> tuple[User, Membership]:
    """Make `email` a member of the workspace with `role`, creating the user when new."""
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    try:
        address = parse_email(email).address
    except ValueError as exc:
        raise BadRequest(f"email {exc}") from None
    user = repository.find_user_by_email(session, address)
    if user is None:
        user = User(email=address, name=name)
        session.add(user)
        session.flush()
    elif repository.member_user(session, workspace_id, user.id) is not None:
        raise Conflict(f"{address} is already a member of this workspace")
    membership = Membership(workspace_id=workspace_id, user_id=user.id, role=role)
    session.add(membership)
    session.flush()
    return user, membership
