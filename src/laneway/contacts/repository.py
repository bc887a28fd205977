"""Every query on contacts, scoped to one workspace."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, RowMapping, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from laneway.contacts.models import Contact
from laneway.kit.pagination import PageRequest

_BY_EMAIL_KEY = select(Contact).where(  # built once: every thread create runs it
    Contact.workspace_id == bindparam("workspace_id"), Contact.email_key == bindparam("email_key")
)


def by_email_key(session: Session, workspace_id: str, email_key: str) -> Contact | None:
    """The contact with this address, deleted or not (the address stays taken)."""
    return session.scalars(_BY_EMAIL_KEY, {"workspace_id": workspace_id, "email_key": email_key}).first()


def get(session: Session, workspace_id: str, contact_id: str) -> Contact | None:
    return session.scalars(
        select(Contact).where(
            Contact.workspace_id == workspace_id, Contact.id == contact_id, Contact.is_deleted.is_(False)
        )
    ).first()


_ROW = select(Contact.__table__).where(
    Contact.workspace_id == bindparam("workspace_id"), Contact.id == bindparam("contact_id")
)


def row(session: Session, workspace_id: str, contact_id: str) -> RowMapping | None:
    """The contact's columns, deleted or not (a thread shows its contact either way)."""
    params = {"workspace_id": workspace_id, "contact_id": contact_id}
    return session.connection().execute(_ROW, params).mappings().first()


def live_by_email_key(session: Session, workspace_id: str, email_key: str) -> Contact | None:
    """The live (not deleted) contact with this address."""
    return session.scalars(
        select(Contact).where(
            Contact.workspace_id == workspace_id,
            Contact.email_key == email_key,
            Contact.is_deleted.is_(False),
        )
    ).first()


def revive(session: Session, workspace_id: str, contact_id: str, values: dict[str, Any]) -> Contact | None:
    """Bring a deleted contact back with `values`; None when it is no longer deleted (a
    concurrent request revived it first: the conditional UPDATE waits for that one, then
    finds nothing to change)."""
    return session.scalars(
        update(Contact)
        .where(Contact.workspace_id == workspace_id, Contact.id == contact_id, Contact.is_deleted.is_(True))
        .values(is_deleted=False, version=Contact.version + 1, **values)
        .returning(Contact),
        execution_options={"populate_existing": True},
    ).first()


def _matching(workspace_id: str, email_key: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Contact.workspace_id == workspace_id,
        Contact.is_deleted.is_(False),
    ]
    if email_key is not None:
        conditions.append(Contact.email_key == email_key)
    return conditions


def page(session: Session, workspace_id: str, paging: PageRequest, email_key: str | None) -> list[Contact]:
    """Up to take + 1 live contacts, newest first (the extra one tells whether more follow).
    With a cursor, the rows strictly after it; otherwise after `skip` rows."""
    query = select(Contact).where(*_matching(workspace_id, email_key))
    if paging.cursor is not None:
        at, last_id = paging.cursor.created_at, paging.cursor.id
        query = query.where(
            or_(Contact.created_at < at, and_(Contact.created_at == at, Contact.id < last_id))
        )
    else:
        query = query.offset(paging.skip)
    return list(
        session.scalars(query.order_by(Contact.created_at.desc(), Contact.id.desc()).limit(paging.take + 1))
    )


def count(session: Session, workspace_id: str, email_key: str | None) -> int:
    query = select(func.count()).select_from(Contact).where(*_matching(workspace_id, email_key))
    return int(session.scalar(query) or 0)
