"""Every query on contacts, scoped to one workspace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laneway.contacts.models import Contact


def by_email_key(session: Session, workspace_id: str, email_key: str) -> Contact | None:
    """The contact with this address, deleted or not (the address stays taken)."""
    return session.scalars(
        select(Contact).where(Contact.workspace_id == workspace_id, Contact.email_key == email_key)
    ).first()


def get(session: Session, workspace_id: str, contact_id: str) -> Contact | None:
    return session.scalars(
        select(Contact).where(
            Contact.workspace_id == workspace_id, Contact.id == contact_id, Contact.is_deleted.is_(False)
        )
    ).first()
