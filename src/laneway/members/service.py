"""Workspace members: adding people, listing them, and changing their roles."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laneway.auth.caller import Caller
from laneway.auth.service import require_admin
from laneway.contacts.emails import parse_email
from laneway.kit.errors import BadRequest, Conflict, Forbidden, NotFound
from laneway.kit.ids import new_id
from laneway.kit.time import utcnow
from laneway.kit.upsert import insert_if_absent
from laneway.members import repository
from laneway.members.models import ROLES, Membership, User


def add_member(
    session: Session, workspace_id: str, email: str, name: str | None = None, role: str = "USER"
) -> tuple[User, Membership]:
    """Make `email` a member of the workspace with `role`, creating the user when new (`name`
    names a new user and never renames an existing one). Conflict when already a member. Safe
    under concurrency: the unique constraints on users and memberships decide, so two requests
    adding one new address make one user and one membership, and the loser gets the Conflict."""
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    try:
        address = parse_email(email).address
    except ValueError as exc:
        raise BadRequest(f"email {exc}") from None
    now = utcnow()
    user = repository.find_user_by_email(session, address)
    if user is None:
        insert_if_absent(
            session,
            User,
            ["email"],
            {"id": new_id(), "email": address, "name": name, "created_at": now, "updated_at": now},
        )
        user = repository.find_user_by_email(session, address)
        assert user is not None, "user vanished between insert and select"
    membership_id = new_id()
    added = insert_if_absent(
        session,
        Membership,
        ["workspace_id", "user_id"],
        {
            "id": membership_id,
            "workspace_id": workspace_id,
            "user_id": user.id,
            "role": role,
            "created_at": now,
            "updated_at": now,
        },
    )
    if not added:
        raise Conflict(f"{address} is already a member of this workspace")
    found = repository.membership_user(session, workspace_id, membership_id)
    assert found is not None, "membership vanished between insert and select"
    return found


def list_members(session: Session, workspace_id: str) -> list[tuple[Membership, User]]:
    """The workspace's memberships with their users, oldest first."""
    return repository.memberships_with_users(session, workspace_id)


def change_role(
    session: Session,
    caller: Caller,
    role: str,
    *,
    membership_id: str | None = None,
    user_id: str | None = None,
) -> tuple[Membership, User]:
    """Give a member of the caller's workspace `role`; the member is named by membership or
    user id. The caller must be an ADMIN when the change is made; nobody changes their own
    role; the workspace's last ADMIN is never demoted. The admin rows are locked first, so
    that concurrent changes (two admins demoting each other) are judged one after the other."""
    require_admin(caller)
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    workspace_id = caller.workspace_id
    admins = repository.lock_admin_ids(session, workspace_id)
    if caller.membership_id not in admins:
        # The key was checked in an earlier transaction; the caller has been demoted since.
        raise Forbidden("Only ADMIN members may change roles, and you are no longer an ADMIN")
    if membership_id is not None:
        found = repository.membership_user(session, workspace_id, membership_id)
        missing = f"No member with membership id {membership_id} in this workspace"
    elif user_id is not None:
        found = repository.member_user(session, workspace_id, user_id)
        missing = f"No member with user id {user_id} in this workspace"
    else:
        raise BadRequest("send exactly one of membershipId and userId")
    if found is None:
        raise NotFound(missing)
    user, membership = found
    if membership.id in admins and role != "ADMIN" and not admins - {membership.id}:
        raise Conflict("The last ADMIN of a workspace cannot be demoted; promote another member first")
    if membership.id == caller.membership_id:
        raise Forbidden("Nobody may change their own role; ask another ADMIN")
    if membership.role != role:
        membership.role = role
        membership.updated_at = utcnow()
        session.flush()
    return membership, user
