"""Contacts: the customers feedback comes from, one per address in a workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from laneway.companies import repository as companies
from laneway.companies.models import Company
from laneway.companies.service import (
    company_for_domain,
    company_named,
    lock_domain_for_contact,
    require_company,
    require_company_with_external_id,
)
from laneway.contacts import repository
from laneway.contacts.emails import Email, email_key, parse_email
from laneway.contacts.models import Contact
from laneway.contacts.schemas import ContactOut, CreateContact, UpdateContact
from laneway.kit.errors import Conflict, Issue, NotFound, validation_error
from laneway.kit.ids import new_id
from laneway.kit.pagination import Cursor, PageRequest
from laneway.kit.time import utcnow
from laneway.kit.upsert import insert_if_absent
from laneway.webhooks.service import emit


@dataclass(frozen=True, slots=True)
class Upserted:
    contact: Contact
    created: bool


@dataclass(frozen=True, slots=True)
class ShownContact:
    """A contact with its (live) company, as the contact routes answer it."""

    contact: Contact
    company: Company | None


@dataclass(frozen=True, slots=True)
class ContactPage:
    contacts: list[ShownContact]
    total: int
    has_more: bool
    last: Cursor | None


def upsert_contact(
    session: Session,
    workspace_id: str,
    email: Email,
    name: str | None,
    now: datetime | None = None,
    *,
    found: Contact | Literal["look"] | None = "look",
) -> Upserted:
    """The workspace's contact for `email`, created when new. `name` names a new contact and
    never renames an existing one. Safe under concurrency: the unique (workspace, address)
    constraint decides, so two requests racing on one new address make one contact. A caller
    that has just looked the address up passes what it `found` (None: nobody has it)."""
    existing = repository.by_email_key(session, workspace_id, email.key) if found == "look" else found
    created = False
    now = now or utcnow()
    if existing is None:
        created = insert_if_absent(
            session, Contact, ["workspace_id", "email_key"], _new_row(workspace_id, email, name, None, now)
        )
        existing = repository.by_email_key(session, workspace_id, email.key)
        assert existing is not None, "contact vanished between insert and select"
    if existing.is_deleted:
        # New feedback from a deleted contact brings the contact back.
        existing.is_deleted = False
        existing.version += 1
        existing.updated_at = now
    if created:
        contact_created(session, existing)
    return Upserted(existing, created)


def require_contact(session: Session, workspace_id: str, contact_id: str) -> Contact:
    """The workspace's live contact; NotFound for unknown ids, deleted contacts and other
    workspaces' contacts alike."""
    contact = repository.get(session, workspace_id, contact_id)
    if contact is None:
        raise NotFound(f"No contact with id {contact_id}")
    return contact


def find_contact(session: Session, workspace_id: str, id_or_email: str) -> ShownContact:
    """A live contact by id, or by address when the text has an @ (any spelling of it)."""
    if "@" not in id_or_email:
        return _shown(session, require_contact(session, workspace_id, id_or_email))
    key = email_key(id_or_email)
    contact = repository.live_by_email_key(session, workspace_id, key) if key else None
    if contact is None:
        raise NotFound(f"No contact with email {id_or_email}")
    return _shown(session, contact)


def email_filter(raw: str | None) -> str | None:
    """The `email` list filter as the key addresses are compared by; BadRequest if invalid."""
    if raw is None or not raw.strip():
        return None
    try:
        return parse_email(raw).key
    except ValueError as exc:
        raise validation_error([Issue(["email"], str(exc))]) from None


def list_contacts(session: Session, workspace_id: str, page: PageRequest, key: str | None) -> ContactPage:
    """One page of the workspace's live contacts, newest first, with their companies (one
    query for the page) and how many match in all."""
    rows = repository.page(session, workspace_id, page, key)
    has_more = len(rows) > page.take
    rows = rows[: page.take]
    linked = companies.many(session, workspace_id, [c.company_id for c in rows if c.company_id])
    return ContactPage(
        contacts=[ShownContact(c, linked.get(c.company_id) if c.company_id else None) for c in rows],
        total=repository.count(session, workspace_id, key),
        has_more=has_more,
        last=Cursor(rows[-1].created_at, rows[-1].id) if rows else None,
    )


def create_contact(session: Session, workspace_id: str, data: CreateContact) -> ShownContact:
    """A new contact, with the company a company field names or else the one of its email
    domain. An address the workspace already has is a Conflict; one that only a deleted
    contact has brings that contact back with the values sent."""
    email = data.parsed_email
    lock_domain_for_contact(session, workspace_id, email.domain)
    existing = repository.by_email_key(session, workspace_id, email.key)
    if existing is not None and not existing.is_deleted:
        raise _taken(email)
    # Like a contact a thread makes: without a company field, the company of its domain.
    company = _company(
        session, workspace_id, data.company_id, data.company_name, data.company_external_id
    ) or company_for_domain(session, workspace_id, email.domain)
    company_id = company.id if company else None
    now = utcnow()
    if existing is not None:
        values = {"email": email.address, "name": data.name, "company_id": company_id, "updated_at": now}
        contact = repository.revive(session, workspace_id, existing.id, values)
    elif insert_if_absent(
        session,
        Contact,
        ["workspace_id", "email_key"],
        _new_row(workspace_id, email, data.name, company_id, now),
    ):
        contact = repository.by_email_key(session, workspace_id, email.key)
    else:
        contact = None  # a concurrent request made it first
    if contact is None:
        raise _taken(email)
    contact_created(session, contact)
    return ShownContact(contact, company)


def update_contact(session: Session, workspace_id: str, contact_id: str, data: UpdateContact) -> ShownContact:
    """Change only the fields sent. A new address another contact of the workspace has (even
    a deleted one) is a Conflict; a new spelling of its own address is fine. A company field
    links that company; null unlinks."""
    contact = require_contact(session, workspace_id, contact_id)
    sent = data.model_fields_set
    if not sent:
        return _shown(session, contact)
    if data.company_sent:
        company = _company(
            session, workspace_id, data.company_id, data.company_name, data.company_external_id
        )
        contact.company_id = company.id if company else None
    if "name" in sent:
        contact.name = data.name
    if data.email is not None:
        email = parse_email(data.email)
        if email.key != contact.email_key and repository.by_email_key(session, workspace_id, email.key):
            raise _taken(email)
        contact.email, contact.email_key, contact.email_domain = email.address, email.key, email.domain
    contact.version += 1
    contact.updated_at = utcnow()
    try:
        session.flush()
    except IntegrityError:
        # Another request took the address between our check and this write.
        raise _taken(parse_email(data.email or contact.email)) from None
    return _shown(session, contact)


def delete_contact(session: Session, workspace_id: str, contact_id: str) -> None:
    """Soft-delete the contact: it is no longer listed or found, and its address stays taken
    until a create brings it back."""
    contact = require_contact(session, workspace_id, contact_id)
    contact.is_deleted = True
    contact.version += 1
    contact.updated_at = utcnow()


def _company(
    session: Session, workspace_id: str, company_id: str | None, name: str | None, external_id: str | None
) -> Company | None:
    """The company the (at most one) company field sent points to; None for none."""
    if company_id is not None:
        return require_company(session, workspace_id, company_id, lock="key share")
    if name is not None:
        # A name is a lookup key here: surrounding spaces (common in mapped CRM fields) are noise.
        return company_named(session, workspace_id, name.strip())
    if external_id is not None:
        return require_company_with_external_id(session, workspace_id, external_id)
    return None


def _shown(session: Session, contact: Contact) -> ShownContact:
    company = companies.get(session, contact.workspace_id, contact.company_id) if contact.company_id else None
    return ShownContact(contact, company)


def _taken(email: Email) -> Conflict:
    return Conflict(f"A contact with email {email.address} already exists in this workspace")


def _new_row(
    workspace_id: str, email: Email, name: str | None, company_id: str | None, now: datetime
) -> dict[str, object]:
    return {
        "id": new_id(),
        "workspace_id": workspace_id,
        "email": email.address,
        "email_key": email.key,
        "email_domain": email.domain,
        "name": name,
        "company_id": company_id,
        "created_at": now,
        "updated_at": now,
        "is_deleted": False,
        "version": 1,
    }


def contact_created(session: Session, contact: Contact) -> None:
    """Tell the workspace's webhooks about a new (or revived) contact."""
    emit(
        session,
        contact.workspace_id,
        "contact.created",
        lambda: {"contact": ContactOut.model_validate(contact).model_dump(mode="json")},
    )
