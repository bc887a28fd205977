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
from laneway.companies.service import lock_domains_for_contacts
from laneway.contacts.emails import Email
from laneway.contacts.freemail import is_free_mail
from laneway.contacts.models import Contact
from laneway.issues import repository as issues
from laneway.kit import tablestats
from laneway.kit.bulk import insert_columns
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
# Addresses an importing process keeps parsed (contacts repeat across years of history), about
# 500 bytes each: 64 MB at most.
ADDRESSES_CACHED = 131_072


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


@dataclass(frozen=True, slots=True)
class Prepared:
    """A batch made ready for `write` without the database, so that another process can make
    it while this one writes the one before: the thread rows column by column (all but
    contact_id and company_id, which come from the database) and what `write` still needs of
    each item. Plain values, cheap to pass between processes."""

    workspace_id: str
    now: datetime
    addresses: list[str]  # each item's Email, as three lists of plain strings
    email_keys: list[str]
    email_domains: list[str]
    contact_names: list[str | None]
    company_ids: list[str | None]  # as the bodies name them
    threads: dict[str, list[Any]]
    project_links: dict[str, list[Any]]
    issue_links: dict[str, list[Any]]
    deltas: dict[str, int]

    def referenced(self) -> dict[str, set[str]]:
        return {
            "member": {i for i in self.threads["assignee_id"] if i},
            "project": set(self.project_links["project_id"]),
            "issue": set(self.issue_links["issue_id"]),
            "company": {i for i in self.company_ids if i},
        }


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
    return write(session, prepare(items, workspace_id, reporter_id, snooze_period))


def prepare(
    items: Sequence[ImportItem],
    workspace_id: str,
    reporter_id: str,
    snooze_period: timedelta = timedelta(hours=24),
) -> Prepared:
    """The part of an import that needs no database: ids, times, links and count changes."""
    now = utcnow()
    n = len(items)
    thread_ids = new_ids(n)
    created = [item.created_at or now for item in items]
    snoozed = now + snooze_period
    states = [item.state for item in items]
    threads: dict[str, list[Any]] = {
        "id": thread_ids,
        "workspace_id": [workspace_id] * n,
        "created_at": created,
        "updated_at": [
            created_at if item.updated_at is None or item.updated_at < created_at else item.updated_at
            for item, created_at in zip(items, created, strict=True)
        ],
        "is_deleted": [False] * n,
        "is_read": [False] * n,
        "text": [item.text for item in items],
        "pain_level": [item.pain_level for item in items],
        "state": states,
        "origin": [item.origin for item in items],
        "title": [item.title for item in items],
        "snoozed_until": [snoozed if state == "SNOOZED" else None for state in states],
        "last_state_change_at": created,
        "last_inbound_message_at": created,
        "reporter_id": [reporter_id] * n,
        "assignee_id": [item.assignee_id for item in items],
        "attachments": [[]] * n,  # never mutated: bound to JSON as they are written
    }
    deltas: Counter[str] = Counter({counts.ALL: n})
    deltas.update(counts.state_scope(state) for state in states)
    project_links = _links(items, thread_ids, created, workspace_id, now, "project_id")
    issue_links = _links(items, thread_ids, created, workspace_id, now, "issue_id")
    deltas.update(counts.project_scope(i) for i in project_links["project_id"])
    deltas.update(counts.issue_scope(i) for i in issue_links["issue_id"])
    return Prepared(
        workspace_id=workspace_id,
        now=now,
        addresses=[item.email.address for item in items],
        email_keys=[item.email.key for item in items],
        email_domains=[item.email.domain for item in items],
        contact_names=[item.contact_name for item in items],
        company_ids=[item.company_id for item in items],
        threads=threads,
        project_links=project_links,
        issue_links=issue_links,
        deltas=dict(deltas),
    )


def _links(
    items: Sequence[ImportItem],
    thread_ids: list[str],
    created: list[datetime],
    workspace_id: str,
    now: datetime,
    field: str,
) -> dict[str, list[Any]]:
    linked = [(i, getattr(item, field)) for i, item in enumerate(items) if getattr(item, field)]
    return {
        "thread_id": [thread_ids[i] for i, _ in linked],
        "workspace_id": [workspace_id] * len(linked),
        "created_at": [now] * len(linked),
        "thread_created_at": [created[i] for i, _ in linked],
        field: [target for _, target in linked],
    }


def write(session: Session, batch: Prepared) -> Imported:
    """Write a prepared batch in the caller's transaction: the same contact upsert, company
    choice, rows and counts as POST /threads. Unknown assignee, project, issue or company ids
    fail the whole batch with NotFound. Nothing is committed here."""
    workspace_id, now = batch.workspace_id, batch.now
    domains = set(batch.email_domains)
    # Locks in the order every writer takes them: domains, companies, contact rows.
    lock_domains_for_contacts(session, workspace_id, domains)
    _require_references(session, workspace_id, batch.referenced())
    contacts, created = _upsert_contacts(session, workspace_id, batch, now)
    domain_companies = _companies_for_domains(session, workspace_id, domains)

    contact_ids: list[str] = []
    company_ids: list[str | None] = []
    contact_companies: dict[str, str] = {}  # contacts without a company, given their thread's
    for key, domain, named_company in zip(
        batch.email_keys, batch.email_domains, batch.company_ids, strict=True
    ):
        contact_id, contact_company = contacts[key]
        contact_company = contact_company or contact_companies.get(contact_id)
        company_id = named_company or contact_company or domain_companies.get(domain)
        if company_id is not None and contact_company is None:
            contact_companies[contact_id] = company_id
        contact_ids.append(contact_id)
        company_ids.append(company_id)

    connection = session.connection()
    rows = {**batch.threads, "contact_id": contact_ids, "company_id": company_ids}
    insert_columns(connection, Thread, rows)
    insert_columns(connection, ThreadProject, batch.project_links)
    insert_columns(connection, ThreadIssue, batch.issue_links)
    if contact_companies:
        connection.execute(
            update(Contact)
            .where(Contact.id == bindparam("contact_id"), Contact.company_id.is_(None))
            .values(company_id=bindparam("new_company_id"), updated_at=now, version=Contact.version + 1),
            [{"contact_id": c, "new_company_id": k} for c, k in contact_companies.items()],
        )
    counts.bump(session, workspace_id, batch.deltas)
    return Imported(batch.threads["id"], created)


def keep_statistics(session: Session, imported_before: int, imported_now: int) -> None:
    """Call between batches: an import grows the tables faster than the databases' own upkeep
    refreshes their statistics, and lookups planned for nearly empty tables crawl (seconds a
    batch on PostgreSQL, seen at 65,000 threads). Refreshes them after the first batch and
    whenever the import has doubled since."""
    if imported_before == 0 or imported_now.bit_length() > imported_before.bit_length():
        tablestats.refresh(session, tablestats.IMPORTED_TABLES)


def _require_references(session: Session, workspace_id: str, wanted: dict[str, set[str]]) -> None:
    """Every id the batch refers to exists in the workspace: one query per kind of id."""
    found = {
        "member": members.member_ids(session, workspace_id, list(wanted["member"])),
        "project": {p.id for p in projects.many(session, workspace_id, list(wanted["project"]))},
        "issue": {i.id for i in issues.many(session, workspace_id, list(wanted["issue"]))},
        "company": set(companies.live_ids(session, workspace_id, list(wanted["company"]), lock="key share")),
    }
    for kind, ids in wanted.items():
        missing = sorted(ids - found[kind])
        if missing:
            where = " in this workspace" if kind == "member" else ""
            raise NotFound(f"No {kind} with id {missing[0]}{where}")


def _upsert_contacts(
    session: Session, workspace_id: str, batch: Prepared, now: datetime
) -> tuple[dict[str, tuple[str, str | None]], int]:
    """Every address of the batch as {key: (contact id, company id)}, and how many contacts were
    made. The first name sent for a new address names it; deleted contacts come back. As for a
    single create, the unique (workspace, address) constraint decides between concurrent
    importers."""
    emails: dict[str, tuple[str, str]] = {}  # key: (address, domain)
    names: dict[str, str | None] = {}
    for address, key, domain, name in zip(
        batch.addresses, batch.email_keys, batch.email_domains, batch.contact_names, strict=True
    ):
        emails.setdefault(key, (address, domain))
        if names.get(key) is None:
            names[key] = name
    found = _contacts_by_key(session, workspace_id, list(emails))
    # Their companies held (KEY SHARE) before any contact row is written; deleted ones dropped.
    held = companies.live_ids(session, workspace_id, [c for _, c, _ in found.values() if c], lock="key share")
    found = {
        key: (cid, company if company in held else None, gone) for key, (cid, company, gone) in found.items()
    }
    fresh = [
        {
            "id": new_id(),
            "workspace_id": workspace_id,
            "email": emails[key][0],
            "email_key": key,
            "email_domain": emails[key][1],
            "name": names[key],
            "created_at": now,
            "updated_at": now,
            "is_deleted": False,
            "version": 1,
        }
        for key in sorted(emails)  # in one order for every importer: two that share new addresses
        if key not in found  # wait for each other on PostgreSQL instead of deadlocking
    ]
    insert_many_if_absent(session, Contact, ["workspace_id", "email_key"], fresh)
    if fresh:
        found.update(_contacts_by_key(session, workspace_id, [str(row["email_key"]) for row in fresh]))
    ours = {row["id"] for row in fresh}  # a concurrent importer may have made some of them first
    created = sum(1 for contact_id, _, _ in found.values() if contact_id in ours)
    deleted = sorted(contact_id for contact_id, _, is_deleted in found.values() if is_deleted)
    for start in range(0, len(deleted), CHUNK):
        session.execute(
            update(Contact)
            .where(Contact.workspace_id == workspace_id, Contact.id.in_(deleted[start : start + CHUNK]))
            .values(is_deleted=False, updated_at=now, version=Contact.version + 1)
        )
    return {key: (contact_id, company_id) for key, (contact_id, company_id, _) in found.items()}, created


_CONTACTS_BY_KEY = select(Contact.email_key, Contact.id, Contact.company_id, Contact.is_deleted).where(
    Contact.workspace_id == bindparam("workspace_id"),
    Contact.email_key.in_(bindparam("keys", expanding=True)),
)  # built once, run through Core: an import runs it for every batch


def _contacts_by_key(
    session: Session, workspace_id: str, keys: Sequence[str]
) -> dict[str, tuple[str, str | None, bool]]:
    found: dict[str, tuple[str, str | None, bool]] = {}
    connection = session.connection()
    for start in range(0, len(keys), CHUNK):
        rows = connection.execute(
            _CONTACTS_BY_KEY, {"workspace_id": workspace_id, "keys": keys[start : start + CHUNK]}
        )
        for key, contact_id, company_id, is_deleted in rows:
            found[key] = (contact_id, company_id, is_deleted)
    return found


def _companies_for_domains(session: Session, workspace_id: str, domains: set[str]) -> dict[str, str]:
    """The company each email domain points to (free-mail and unknown domains: none)."""
    matchable = [d for d in domains if not is_free_mail(d)]
    return companies.first_ids_with_domains(session, workspace_id, matchable)
