"""Every query on companies, scoped to one workspace."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from laneway.companies.models import Company, CompanyDomain
from laneway.contacts.models import Contact
from laneway.kit.pagination import PageRequest
from laneway.projects.models import Project
from laneway.threads.models import Thread, ThreadProject


@dataclass(frozen=True, slots=True)
class CompanyFilter:
    name: str | None = None  # case-insensitive substring
    ascii_domain: str | None = None  # exact, through company_domains


Lock = Literal["update", "key share"] | None
SelectT = TypeVar("SelectT", bound=Select[Any])


def _locked(query: SelectT, lock: Lock) -> SelectT:
    # PostgreSQL only (SQLite's write transactions already run one at a time). Whoever links a
    # contact or thread to a company holds a KEY SHARE lock on it; deleting takes FOR UPDATE, so
    # a delete and a link never interleave into a contact left on a deleted company.
    if lock == "update":
        return query.with_for_update(of=Company)
    if lock == "key share":
        return query.with_for_update(read=True, key_share=True, of=Company)
    return query


def get(session: Session, workspace_id: str, company_id: str, *, lock: Lock = None) -> Company | None:
    """A live (not deleted) company of the workspace, locked as asked."""
    query = select(Company).where(
        Company.workspace_id == workspace_id, Company.id == company_id, Company.is_deleted.is_(False)
    )
    return session.scalars(_locked(query, lock)).first()


_ROW = select(Company.__table__).where(
    Company.workspace_id == bindparam("workspace_id"), Company.id == bindparam("company_id")
)


def row(session: Session, workspace_id: str, company_id: str) -> RowMapping | None:
    """The company's columns, deleted or not."""
    params = {"workspace_id": workspace_id, "company_id": company_id}
    return session.connection().execute(_ROW, params).mappings().first()


def many(
    session: Session, workspace_id: str, company_ids: Sequence[str], *, lock: Lock = None
) -> dict[str, Company]:
    """The workspace's live companies among these ids, by id (one query), locked as asked."""
    if not company_ids:
        return {}
    query = select(Company).where(
        Company.workspace_id == workspace_id,
        Company.id.in_(list(set(company_ids))),
        Company.is_deleted.is_(False),
    )
    return {company.id: company for company in session.scalars(_locked(query, lock))}


def live_ids(
    session: Session, workspace_id: str, company_ids: Sequence[str], *, lock: Lock = None
) -> set[str]:
    """`many`, for when only which of the ids are live companies matters (no objects made)."""
    if not company_ids:
        return set()
    query = select(Company.id).where(
        Company.workspace_id == workspace_id,
        Company.id.in_(list(set(company_ids))),
        Company.is_deleted.is_(False),
    )
    return set(session.scalars(_locked(query, lock)))


def first_ids_with_domains(
    session: Session, workspace_id: str, ascii_domains: Sequence[str]
) -> dict[str, str]:
    """`first_with_domain` for many domains in one query, {domain: company id}, each company
    held with a KEY SHARE lock (see _locked) as the thread it is linked to is written."""
    if not ascii_domains:
        return {}
    query = (
        select(CompanyDomain.domain, Company.id)
        .join(CompanyDomain, CompanyDomain.company_id == Company.id)
        .where(
            CompanyDomain.workspace_id == workspace_id,
            CompanyDomain.domain.in_(list(set(ascii_domains))),
            Company.is_deleted.is_(False),
        )
        .order_by(Company.created_at, Company.id)
        .with_for_update(read=True, key_share=True, of=Company)
    )
    found: dict[str, str] = {}
    for domain, company_id in session.execute(query):
        found.setdefault(domain, company_id)
    return found


def _first_with_domain() -> Select[Company]:
    return (
        select(Company)
        .join(CompanyDomain, CompanyDomain.company_id == Company.id)
        .where(
            CompanyDomain.workspace_id == bindparam("workspace_id"),
            CompanyDomain.domain == bindparam("domain"),
            Company.is_deleted.is_(False),
        )
        .order_by(Company.created_at, Company.id)
        .limit(1)
    )


# Built once per lock: every thread create from a new address runs it.
_FIRST_WITH_DOMAIN = {lock: _locked(_first_with_domain(), lock) for lock in (None, "key share", "update")}


def first_with_domain(
    session: Session, workspace_id: str, ascii_domain: str, *, lock: Lock = None
) -> Company | None:
    """The oldest live company of the workspace that lists this domain."""
    params = {"workspace_id": workspace_id, "domain": ascii_domain}
    return session.scalars(_FIRST_WITH_DOMAIN[lock], params).first()


def first_named(session: Session, workspace_id: str, name: str) -> Company | None:
    """The oldest live company of the workspace with this name, compared case-insensitively.
    Both sides go through the database's lower(), so they fold alike (SQLite folds ASCII only)."""
    return session.scalars(
        select(Company)
        .where(
            Company.workspace_id == workspace_id,
            Company.is_deleted.is_(False),
            func.lower(Company.name) == func.lower(literal(name)),
        )
        .order_by(Company.created_at, Company.id)
        .limit(1)
    ).first()


def first_with_external_id(session: Session, workspace_id: str, external_id: str) -> Company | None:
    """The oldest live company of the workspace whose externalIds contain this one."""
    if session.get_bind().dialect.name == "postgresql":
        listed: ColumnElement[bool] = type_coerce(Company.external_ids, JSONB).contains([external_id])
    else:
        items = func.json_each(Company.external_ids).table_valued("value")
        listed = exists(select(literal(1)).select_from(items).where(items.c.value == external_id))
    return session.scalars(
        select(Company)
        .where(Company.workspace_id == workspace_id, Company.is_deleted.is_(False), listed)
        .order_by(Company.created_at, Company.id)
        .limit(1)
    ).first()


def lock_name(session: Session, workspace_id: str, name: str) -> None:
    """Serialise "find the company by this name or create it" across transactions, so that two
    requests naming one new company make one. SQLite already runs one writer at a time."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT pg_advisory_xact_lock(:key)"),
        {"key": _lock_key("company-name", workspace_id, name.lower())},
    )


def lock_domains(
    session: Session, workspace_id: str, ascii_domains: Sequence[str], *, exclusive: bool
) -> None:
    """Order "a company takes these domains" against "a contact at one of them looks for its
    company", until the transaction ends: a company writer locks its domains exclusively, a
    new contact its own domain shared. Without it, at READ COMMITTED, a contact made while a
    company with its domain is being made sees no company, and the company's linking of the
    domain's contacts does not see the contact. SQLite already runs one writer at a time.
    Take it before touching contact rows, so that every transaction locks in one order."""
    if session.get_bind().dialect.name != "postgresql" or not ascii_domains:
        return
    # A lock per bucket of domains, not per domain: PostgreSQL's lock table is small and shared
    # (64 locks a connection by default), and an import's batch may hold thousands of domains.
    # Domains that share a bucket only wait for each other when a company writer takes one.
    # One order for every writer, the keys' (no deadlock); unnest keeps the array's order.
    keys = sorted({_lock_key("domain", workspace_id, _bucket(domain)) for domain in ascii_domains})
    session.execute(_LOCK[exclusive], {"keys": keys})


DOMAIN_LOCK_BUCKETS = 32  # the most domain locks one transaction takes


def _bucket(domain: str) -> str:
    digest = hashlib.blake2b(domain.encode(), digest_size=4).digest()
    return str(int.from_bytes(digest, "big") % DOMAIN_LOCK_BUCKETS)


_LOCK = {  # exclusive?: every key of the array locked, in its order, in one statement
    True: text("SELECT count(pg_advisory_xact_lock(key)) FROM unnest(CAST(:keys AS bigint[])) AS key"),
    False: text(
        "SELECT count(pg_advisory_xact_lock_shared(key)) FROM unnest(CAST(:keys AS bigint[])) AS key"
    ),
}


def _lock_key(kind: str, workspace_id: str, value: str) -> int:
    digest = hashlib.blake2b(f"{kind}\x1f{workspace_id}\x1f{value}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def _matching(workspace_id: str, where: CompanyFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Company.workspace_id == workspace_id,
        Company.is_deleted.is_(False),
    ]
    if where.name is not None:
        conditions.append(Company.name.icontains(where.name, autoescape=True))
    if where.ascii_domain is not None:
        conditions.append(
            Company.id.in_(
                select(CompanyDomain.company_id).where(
                    CompanyDomain.workspace_id == workspace_id, CompanyDomain.domain == where.ascii_domain
                )
            )
        )
    return conditions


def page(session: Session, workspace_id: str, where: CompanyFilter, paging: PageRequest) -> list[Company]:
    """Up to take + 1 matching companies, newest first (the extra one tells whether more follow)."""
    query = select(Company).where(*_matching(workspace_id, where))
    if paging.cursor is not None:
        at, last_id = paging.cursor.created_at, paging.cursor.id
        query = query.where(
            or_(Company.created_at < at, and_(Company.created_at == at, Company.id < last_id))
        )
    else:
        query = query.offset(paging.skip)
    return list(
        session.scalars(query.order_by(Company.created_at.desc(), Company.id.desc()).limit(paging.take + 1))
    )


def count(session: Session, workspace_id: str, where: CompanyFilter) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Company).where(*_matching(workspace_id, where))) or 0
    )


def contact_counts(session: Session, workspace_id: str, company_ids: Sequence[str]) -> dict[str, int]:
    """Live contacts per company, for a page of companies, in one grouped query."""
    if not company_ids:
        return {}
    rows = session.execute(
        select(Contact.company_id, func.count())
        .where(
            Contact.workspace_id == workspace_id,
            Contact.is_deleted.is_(False),
            Contact.company_id.in_(list(company_ids)),
        )
        .group_by(Contact.company_id)
    )
    return {company_id: int(n) for company_id, n in rows if company_id is not None}


def past_projects(session: Session, workspace_id: str, company_id: str) -> list[Project]:
    """The workspace's projects that live threads of this company are linked to, newest first."""
    linked = (
        select(ThreadProject.project_id)
        .join(Thread, Thread.id == ThreadProject.thread_id)
        .where(
            ThreadProject.workspace_id == workspace_id,
            Thread.workspace_id == workspace_id,
            Thread.company_id == company_id,
            Thread.is_deleted.is_(False),
        )
    )
    return list(
        session.scalars(
            select(Project)
            .where(Project.workspace_id == workspace_id, Project.id.in_(linked))
            .order_by(Project.created_at.desc(), Project.id.desc())
        )
    )


def set_domains(session: Session, company: Company, ascii_domains: Sequence[str]) -> None:
    """Replace the company's company_domains rows (what matching by email domain reads)."""
    session.execute(
        delete(CompanyDomain).where(
            CompanyDomain.workspace_id == company.workspace_id, CompanyDomain.company_id == company.id
        )
    )
    session.add_all(
        CompanyDomain(company_id=company.id, domain=d, workspace_id=company.workspace_id)
        for d in dict.fromkeys(ascii_domains)
    )


def link_contacts_by_domain(session: Session, company: Company, ascii_domains: Sequence[str]) -> int:
    """Give this company to the workspace's live contacts at these domains; returns how many.
    (Their updatedAt moves by the column's onupdate.)"""
    if not ascii_domains:
        return 0
    result = session.execute(
        update(Contact)
        .where(
            Contact.workspace_id == company.workspace_id,
            Contact.email_domain.in_(list(ascii_domains)),
            Contact.is_deleted.is_(False),
        )
        .values(company_id=company.id, version=Contact.version + 1)
        .returning(Contact.id)
        .execution_options(synchronize_session=False)
    )
    return len(result.all())


def unlink_contacts(session: Session, workspace_id: str, company_id: str, now: datetime) -> int:
    """Take this company away from the workspace's contacts (it is being deleted)."""
    result = session.execute(
        update(Contact)
        .where(Contact.workspace_id == workspace_id, Contact.company_id == company_id)
        .values(company_id=None, version=Contact.version + 1, updated_at=now)
        .returning(Contact.id)
        .execution_options(synchronize_session=False)
    )
    return len(result.all())
