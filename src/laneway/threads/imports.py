"""Importing threads in bulk: years of feedback from another inbox, a batch at a time.

Each item is a v1 create body, validated by the same schema as POST /threads, and becomes the
thread POST /threads would make of it (the same contact upsert, company choice, links and
counts), with the differences an import needs: statements run once per batch rather than
once per thread, and an import is history, so it notifies nobody, emits no webhook events
and spends no generated titles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from laneway.companies import repository as companies
from laneway.companies.service import lock_domain_for_contact
from laneway.contacts.emails import Email
from laneway.contacts.freemail import is_free_mail
from laneway.contacts.models import Contact
from laneway.issues import repository as issues
from laneway.kit import tablestats
from laneway.kit.bulk import insert_rows
from laneway.kit.errors import NotFound
from laneway.kit.ids import new_id, new_ids
from laneway.kit.time import utcnow
from laneway.kit.upsert import insert_many_if_absent
from laneway.members import repository as members
from laneway.projects import repository as projects
from laneway.threads import counts
from laneway.threads.models import Thread, ThreadIssue, ThreadProject
from laneway.threads.schemas import CreateThread

CHUNK = 500  # values per IN (...) list: well under every database's parameter limit


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One validated create body, as the import needs it (plain values, cheap to pass between
    processes as a tuple)."""

    text: str
    pain_level: str
    email: Email
    title: str | None
    state: str
    origin: str
    contact_name: str | None
    assignee_id: str | None
    project_id: str | None
    issue_id: str | None
    company_id: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, body: CreateThread) -> ImportItem:
        return cls(
            text=body.text,
            pain_level=body.pain_level,
            email=body.email,
            title=body.title if body.title is not None and body.title.strip() else None,
            state=body.state or "NEW",
            origin=body.origin or "API",
            contact_name=body.contact_name,
            assignee_id=body.assignee_id,
            project_id=body.project_id,
            issue_id=body.issue_id,
            company_id=body.company_id,
            created_at=body.created_at,
            updated_at=body.updated_at,
        )


@dataclass(frozen=True, slots=True)
class Imported:
    thread_ids: list[str]
    contacts_created: int


def import_threads(
    session: Session,
    workspace_id: str,
    reporter_id: str,
    items: Sequence[ImportItem],
    snooze_period: timedelta = timedelta(hours=24),
) -> Imported:
    """Create one thread per item in the caller's transaction, as POST /threads would, in a few
    statements per batch. Unknown assignee, project, issue or company ids fail the whole batch
    with NotFound. Nothing is committed here."""
    now = utcnow()
    # Locks in the order every writer takes them: domains, companies, contact rows.
    for domain in sorted({item.email.domain for item in items}):
        lock_domain_for_contact(session, workspace_id, domain)
    _require_references(session, workspace_id, items)
    contacts, created = _upsert_contacts(session, workspace_id, items, now)
    companies = _companies_for_domains(session, workspace_id, {item.email.domain for item in items})

    threads: list[dict[str, Any]] = []
    project_links: list[dict[str, Any]] = []
    issue_links: list[dict[str, Any]] = []
    contact_companies: dict[str, str] = {}  # contacts without a company, given their thread's
    deltas: Counter[str] = Counter({counts.ALL: len(items)})
    for item, thread_id in zip(items, new_ids(len(items)), strict=True):
        contact_id, contact_company = contacts[item.email.key]
        contact_company = contact_company or contact_companies.get(contact_id)
        company_id = item.company_id or contact_company or companies.get(item.email.domain)
        if company_id is not None and contact_company is None:
            contact_companies[contact_id] = company_id
        created_at = item.created_at or now
        threads.append(
            {
                "id": thread_id,
                "workspace_id": workspace_id,
                "created_at": created_at,
                "updated_at": max(item.updated_at or created_at, created_at),
                "is_deleted": False,
                "is_read": False,
                "text": item.text,
                "pain_level": item.pain_level,
                "state": item.state,
                "origin": item.origin,
                "title": item.title,
                "snoozed_until": now + snooze_period if item.state == "SNOOZED" else None,
                "last_state_change_at": created_at,
                "last_inbound_message_at": created_at,
                "contact_id": contact_id,
                "company_id": company_id,
                "reporter_id": reporter_id,
                "assignee_id": item.assignee_id,
                "attachments": [],
            }
        )
        deltas[counts.state_scope(item.state)] += 1
        link = {"thread_id": thread_id, "workspace_id": workspace_id, "created_at": now,
                "thread_created_at": created_at}  # fmt: skip
        if item.project_id:
            project_links.append({**link, "project_id": item.project_id})
            deltas[counts.project_scope(item.project_id)] += 1
        if item.issue_id:
            issue_links.append({**link, "issue_id": item.issue_id})
            deltas[counts.issue_scope(item.issue_id)] += 1

    connection = session.connection()
    insert_rows(connection, Thread, threads)
    insert_rows(connection, ThreadProject, project_links)
    insert_rows(connection, ThreadIssue, issue_links)
    if contact_companies:
        connection.execute(
            update(Contact)
            .where(Contact.id == bindparam("contact_id"), Contact.company_id.is_(None))
            .values(company_id=bindparam("new_company_id"), updated_at=now, version=Contact.version + 1),
            [{"contact_id": c, "new_company_id": k} for c, k in contact_companies.items()],
        )
    counts.bump(session, workspace_id, deltas)
    return Imported([t["id"] for t in threads], created)


def keep_statistics(session: Session, imported_before: int, imported_now: int) -> None:
    """Call between batches: an import grows the tables faster than the databases' own upkeep
    refreshes their statistics, and lookups planned for nearly empty tables crawl (seconds a
    batch on PostgreSQL, seen at 65,000 threads). Refreshes them after the first batch and
    whenever the import has doubled since."""
    if imported_before == 0 or imported_now.bit_length() > imported_before.bit_length():
        tablestats.refresh(session, tablestats.IMPORTED_TABLES)


def _require_references(session: Session, workspace_id: str, items: Sequence[ImportItem]) -> None:
    """Every id the batch refers to exists in the workspace: one query per kind of id."""
    wanted = {
        "member": {item.assignee_id for item in items if item.assignee_id},
        "project": {item.project_id for item in items if item.project_id},
        "issue": {item.issue_id for item in items if item.issue_id},
        "company": {item.company_id for item in items if item.company_id},
    }
    found = {
        "member": members.member_ids(session, workspace_id, list(wanted["member"])),
        "project": {p.id for p in projects.many(session, workspace_id, list(wanted["project"]))},
        "issue": {i.id for i in issues.many(session, workspace_id, list(wanted["issue"]))},
        "company": set(companies.many(session, workspace_id, list(wanted["company"]), lock="key share")),
    }
    for kind, ids in wanted.items():
        missing = sorted(ids - found[kind])
        if missing:
            where = " in this workspace" if kind == "member" else ""
            raise NotFound(f"No {kind} with id {missing[0]}{where}")


def _upsert_contacts(
    session: Session, workspace_id: str, items: Sequence[ImportItem], now: datetime
) -> tuple[dict[str, tuple[str, str | None]], int]:
    """Every address of the batch as {key: (contact id, company id)}, and how many contacts were
    made. The first name sent for a new address names it; deleted contacts come back. As for a
    single create, the unique (workspace, address) constraint decides between concurrent
    importers."""
    emails: dict[str, Email] = {}
    names: dict[str, str | None] = {}
    for item in items:
        key = item.email.key
        emails.setdefault(key, item.email)
        if names.get(key) is None:
            names[key] = item.contact_name
    found = _contacts_by_key(session, workspace_id, list(emails))
    # Their companies held (KEY SHARE) before any contact row is written; deleted ones dropped.
    held = companies.many(session, workspace_id, [c for _, c, _ in found.values() if c], lock="key share")
    found = {
        key: (cid, company if company in held else None, gone) for key, (cid, company, gone) in found.items()
    }
    fresh = [
        {
            "id": new_id(),
            "workspace_id": workspace_id,
            "email": emails[key].address,
            "email_key": key,
            "email_domain": emails[key].domain,
            "name": names[key],
            "created_at": now,
            "updated_at": now,
            "is_deleted": False,
            "version": 1,
        }
        for key in emails
        if key not in found
    ]
    insert_many_if_absent(session, Contact, ["workspace_id", "email_key"], fresh)
    if fresh:
        found.update(_contacts_by_key(session, workspace_id, [str(row["email_key"]) for row in fresh]))
    ours = {row["id"] for row in fresh}  # a concurrent importer may have made some of them first
    created = sum(1 for contact_id, _, _ in found.values() if contact_id in ours)
    deleted = [contact_id for contact_id, _, is_deleted in found.values() if is_deleted]
    for start in range(0, len(deleted), CHUNK):
        session.execute(
            update(Contact)
            .where(Contact.workspace_id == workspace_id, Contact.id.in_(deleted[start : start + CHUNK]))
            .values(is_deleted=False, updated_at=now, version=Contact.version + 1)
        )
    return {key: (contact_id, company_id) for key, (contact_id, company_id, _) in found.items()}, created


def _contacts_by_key(
    session: Session, workspace_id: str, keys: Sequence[str]
) -> dict[str, tuple[str, str | None, bool]]:
    found: dict[str, tuple[str, str | None, bool]] = {}
    for start in range(0, len(keys), CHUNK):
        rows = session.execute(
            select(Contact.email_key, Contact.id, Contact.company_id, Contact.is_deleted).where(
                Contact.workspace_id == workspace_id, Contact.email_key.in_(keys[start : start + CHUNK])
            )
        )
        for key, contact_id, company_id, is_deleted in rows:
            found[key] = (contact_id, company_id, is_deleted)
    return found


def _companies_for_domains(session: Session, workspace_id: str, domains: set[str]) -> dict[str, str]:
    """The company each email domain points to (free-mail and unknown domains: none)."""
    matchable = [d for d in domains if not is_free_mail(d)]
    return companies.first_ids_with_domains(session, workspace_id, matchable)
