"""Contacts: the customers feedback comes from, one per address in a workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from laneway.contacts import repository
from laneway.contacts.emails import Email
from laneway.contacts.models import Contact
from laneway.kit.ids import new_id
from laneway.kit.time import utcnow
from laneway.kit.upsert import insert_if_absent


@dataclass(frozen=True, slots=True)
class Upserted:
    contact: Contact
    created: bool


def upsert_contact(
    session: Session, workspace_id: str, email: Email, name: str | None, now: datetime | None = None
) -> Upserted:
    """The workspace's contact for `email`, created when new. `name` names a new contact and
    never renames an existing one. Safe under concurrency: the unique (workspace, address)
    constraint decides, so two requests racing on one new address make one contact."""
    existing = repository.by_email_key(session, workspace_id, email.key)
    created = False
    now = now or utcnow()
    if existing is None:
        created = insert_if_absent(
            session,
            Contact,
            ["workspace_id", "email_key"],
            {
                "id": new_id(),
                "workspace_id": workspace_id,
                "email": email.address,
                "email_key": email.key,
                "email_domain": email.domain,
                "name": name,
                "created_at": now,
                "updated_at": now,
                "is_deleted": False,
                "version": 1,
            },
        )
        existing = repository.by_email_key(session, workspace_id, email.key)
        assert existing is not None, "contact vanished between insert and select"
    if existing.is_deleted:
        # New feedback from a deleted contact brings the contact back.
        existing.is_deleted = False
        existing.version += 1
        existing.updated_at = now
    return Upserted(existing, created)
