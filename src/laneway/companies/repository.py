"""Every query on companies, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from laneway.companies.models import Company, CompanyDomain
from laneway.contacts.models import Contact


def get(session: Session, workspace_id: str, company_id: str) -> Company | None:
    """A live (not deleted) company of the workspace."""
    return session.scalars(
        select(Company).where(
            Company.workspace_id == workspace_id, Company.id == company_id, Company.is_deleted.is_(False)
        )
    ).first()


def first_with_domain(session: Session, workspace_id: str, ascii_domain: str) -> Company | None:
    """The oldest live company of the workspace that lists this domain."""
    return session.scalars(
        select(Company)
        .join(CompanyDomain, CompanyDomain.company_id == Company.id)
        .where(
            CompanyDomain.workspace_id == workspace_id,
            CompanyDomain.domain == ascii_domain,
            Company.is_deleted.is_(False),
        )
        .order_by(Company.created_at, Company.id)
        .limit(1)
    ).first()


def set_domains(session: Session, company: Company, ascii_domains: Sequence[str]) -> None:
    session.execute(delete(CompanyDomain).where(CompanyDomain.company_id == company.id))
    session.add_all(
        CompanyDomain(company_id=company.id, domain=d, workspace_id=company.workspace_id)
        for d in dict.fromkeys(ascii_domains)
    )


def link_contacts_by_domain(session: Session, company: Company, ascii_domains: Sequence[str]) -> int:
    """Give this company to the workspace's contacts at these domains; returns how many."""
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
