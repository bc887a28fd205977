"""Every query on users and memberships, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import RowMapping, bindparam, select
from sqlalchemy.orm import Session

from laneway.members.models import Membership, User


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).first()


_MEMBER_USER = (  # built once: every thread create and read runs it
    select(User, Membership)
    .join(Membership, Membership.user_id == User.id)
    .where(Membership.workspace_id == bindparam("workspace_id"), User.id == bindparam("user_id"))
)


def member_user(session: Session, workspace_id: str, user_id: str) -> tuple[User, Membership] | None:
    """The user `user_id` with their membership, when they are a member of the workspace."""
    row = session.execute(_MEMBER_USER, {"workspace_id": workspace_id, "user_id": user_id}).first()
    return (row[0], row[1]) if row else None


_MEMBER_ROWS = (  # built once: every thread read runs it
    select(User.id, User.name, User.email, Membership.role, User.image_url, User.created_at, User.updated_at)
    .join(Membership, Membership.user_id == User.id)
    .where(
        Membership.workspace_id == bindparam("workspace_id"),
        User.id.in_(bindparam("user_ids", expanding=True)),
    )
)


def member_rows(session: Session, workspace_id: str, user_ids: Sequence[str]) -> dict[str, RowMapping]:
    """Those of `user_ids` that are members of the workspace, as rows of what a thread shows of
    them (a user's columns and the member's role), by user id."""
    if not user_ids:
        return {}
    params = {"workspace_id": workspace_id, "user_ids": list(set(user_ids))}
    return {row["id"]: row for row in session.connection().execute(_MEMBER_ROWS, params).mappings()}


def member_ids(session: Session, workspace_id: str, user_ids: Sequence[str]) -> set[str]:
    """Those of `user_ids` that are members of the workspace (one query)."""
    if not user_ids:
        return set()
    return set(
        session.scalars(
            select(Membership.user_id).where(
                Membership.workspace_id == workspace_id, Membership.user_id.in_(list(set(user_ids)))
            )
        )
    )


def membership_user(
    session: Session, workspace_id: str, membership_id: str
) -> tuple[User, Membership] | None:
    """The membership `membership_id` of the workspace with its user."""
    row = session.execute(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id, Membership.id == membership_id)
    ).first()
    return (row[0], row[1]) if row else None


def membership_by_email(session: Session, workspace_id: str, email: str) -> Membership | None:
    return session.scalars(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace_id, User.email == email)
    ).first()


def first_admin(session: Session, workspace_id: str) -> str | None:
    """The user id of the workspace's oldest admin."""
    return session.scalar(
        select(Membership.user_id)
        .where(Membership.workspace_id == workspace_id, Membership.role == "ADMIN")
        .order_by(Membership.created_at, Membership.id)
        .limit(1)
    )


def memberships_with_users(session: Session, workspace_id: str) -> list[tuple[Membership, User]]:
    """Every membership of the workspace with its user, oldest first, in one query."""
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace_id)
        .order_by(Membership.created_at, Membership.id)
    )
    return [(membership, user) for membership, user in rows]


def lock_admin_ids(session: Session, workspace_id: str) -> set[str]:
    """The membership ids of the workspace's admins, their rows locked until the transaction
    ends (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write transactions are serial already).
    Rows are locked in id order, so two transactions taking these locks cannot deadlock."""
    return set(
        session.scalars(
            select(Membership.id)
            .where(Membership.workspace_id == workspace_id, Membership.role == "ADMIN")
            .order_by(Membership.id)
            .with_for_update()
        )
    )
