"""Companies: creating, listing and changing them, and finding the one feedback belongs to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from laneway.companies import repository
from laneway.companies.domains import Domain, parse_domain
from laneway.companies.models import Company
from laneway.companies.repository import CompanyFilter
from laneway.companies.schemas import CompanyOut, UpdateCompany
from laneway.contacts.freemail import is_free_mail
from laneway.kit.errors import BadRequest, Issue, NotFound, validation_error
from laneway.kit.pagination import PageRequest
from laneway.kit.time import utcnow
from laneway.projects.models import Project
from laneway.webhooks.service import emit

# Fields a PATCH copies as they come; domains and externalIds need more care.
_PLAIN_FIELDS = (
    "name",
    "auto_add",
    "size",
    "revenue",
    "tier_id",
    "tier_name",
    "status_id",
    "status_name",
    "status_color",
)


def require_company(
    session: Session, workspace_id: str, company_id: str, *, lock: repository.Lock = None
) -> Company:
    """The workspace's company `company_id`; NotFound for unknown ids and other workspaces'.
    Pass lock="key share" when linking to it, lock="update" when changing or deleting it."""
    company = repository.get(session, workspace_id, company_id, lock=lock)
    if company is None:
        raise NotFound(f"No company with id {company_id}")
    return company


def lock_domain_for_contact(session: Session, workspace_id: str, ascii_domain: str) -> None:
    """Call before a contact at `ascii_domain` is made or looks for its company: a company
    taking that domain at the same moment then either sees the contact or is seen by it."""
    lock_domains_for_contacts(session, workspace_id, [ascii_domain])


def lock_domains_for_contacts(session: Session, workspace_id: str, ascii_domains: Iterable[str]) -> None:
    """`lock_domain_for_contact` for the contacts of many domains at once (an import's batch)."""
    domains = [domain for domain in ascii_domains if not is_free_mail(domain)]
    repository.lock_domains(session, workspace_id, domains, exclusive=False)


def company_for_domain(session: Session, workspace_id: str, ascii_domain: str) -> Company | None:
    """The company an email domain points to; free-mail domains point to none."""
    if is_free_mail(ascii_domain):
        return None
    return repository.first_with_domain(session, workspace_id, ascii_domain, lock="key share")


def company_named(session: Session, workspace_id: str, name: str) -> Company:
    """The workspace's live company with this name (case-insensitive), created when none has it.
    Concurrent requests naming one new company make one."""
    repository.lock_name(session, workspace_id, name)
    return repository.first_named(session, workspace_id, name) or create_company(
        session, workspace_id, name=name
    )


def require_company_with_external_id(session: Session, workspace_id: str, external_id: str) -> Company:
    """The workspace's live company listing this external id; NotFound when none does."""
    company = repository.first_with_external_id(session, workspace_id, external_id)
    if company is None:
        raise NotFound(f"No company with external id {external_id}")
    return company


def create_company(
    session: Session,
    workspace_id: str,
    *,
    name: str,
    domains: Sequence[str] = (),
    auto_add: bool = False,
    external_ids: Sequence[str] = (),
    size: int | None = None,
    revenue: int | None = None,
    tier_id: str | None = None,
    status_id: str | None = None,
) -> Company:
    """A new company; with `auto_add`, the workspace's contacts at its domains join it."""
    if not name.strip() or len(name) > 255:
        raise BadRequest("name must be 1 to 255 characters and not blank")
    parsed = _parse_domains(domains)
    repository.lock_domains(session, workspace_id, [d.ascii for d in parsed], exclusive=True)
    now = utcnow()  # one instant: a new company's updatedAt is its createdAt
    company = Company(
        workspace_id=workspace_id,
        name=name,
        domains=list(dict.fromkeys(d.name for d in parsed)),
        auto_add=auto_add,
        external_ids=list(dict.fromkeys(external_ids)),
        size=size,
        revenue=revenue,
        tier_id=tier_id,
        status_id=status_id,
        is_deleted=False,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(company)
    session.flush()
    repository.set_domains(session, company, [d.ascii for d in parsed])
    if auto_add:
        _link_contacts(session, company, parsed)
    emit(
        session,
        workspace_id,
        "company.created",
        lambda: {"company": CompanyOut.model_validate(company).model_dump(mode="json")},
    )
    return company


def update_company(session: Session, workspace_id: str, company_id: str, data: UpdateCompany) -> Company:
    """Change only the fields sent. `domains` replaces the list; with autoAdd on, sending
    `autoAdd: true` or new domains links the workspace's contacts at the domains."""
    sent = data.model_fields_set
    if not sent:
        return require_company(session, workspace_id, company_id)
    parsed = _parse_domains(data.domains or []) if "domains" in sent else None
    # The domains it takes or links contacts at, locked before its row (see lock_domains).
    taking = (
        parsed
        if parsed is not None
        else _parse_domains(require_company(session, workspace_id, company_id).domains)
    )
    repository.lock_domains(session, workspace_id, [d.ascii for d in taking], exclusive=True)
    company = require_company(session, workspace_id, company_id, lock="update")
    for field in _PLAIN_FIELDS:
        if field in sent:
            setattr(company, field, getattr(data, field))
    if "external_ids" in sent:
        company.external_ids = list(dict.fromkeys(data.external_ids or []))
    if parsed is not None:
        company.domains = list(dict.fromkeys(d.name for d in parsed))
        repository.set_domains(session, company, [d.ascii for d in parsed])
    company.version += 1
    company.updated_at = utcnow()
    if company.auto_add and ("auto_add" in sent or parsed is not None):
        _link_contacts(session, company, parsed if parsed is not None else _parse_domains(company.domains))
    session.flush()
    return company


def delete_company(session: Session, workspace_id: str, company_id: str) -> None:
    """Soft-delete the company. Its contacts lose it (so they can match another by domain);
    its threads keep their history."""
    company = require_company(session, workspace_id, company_id, lock="update")
    now = utcnow()
    company.is_deleted = True
    company.version += 1
    company.updated_at = now
    repository.unlink_contacts(session, workspace_id, company.id, now)


@dataclass(frozen=True, slots=True)
class CompanyPage:
    companies: list[Company]
    contact_counts: dict[str, int]
    total: int


def list_companies(
    session: Session, workspace_id: str, where: CompanyFilter, page: PageRequest
) -> CompanyPage:
    """One page of the workspace's live companies, newest first, each with its live contacts
    counted (one grouped query for the page), and how many match in all."""
    rows = repository.page(session, workspace_id, where, page)[: page.take]
    counts = repository.contact_counts(session, workspace_id, [c.id for c in rows])
    return CompanyPage(rows, counts, repository.count(session, workspace_id, where))


def past_projects(session: Session, workspace_id: str, company: Company) -> list[Project]:
    """The projects this company's feedback is linked to, each once."""
    return repository.past_projects(session, workspace_id, company.id)


def company_filter(*, name: str | None, domain: str | None) -> CompanyFilter:
    """The list filters from the query string; BadRequest for a domain that cannot be one.
    `domain` is read leniently (case and surrounding spaces do not matter) and compared in
    its IDNA form, like the domains companies list."""
    ascii_domain = None
    if domain:
        try:
            ascii_domain = parse_domain(domain.strip().lower()).ascii
        except ValueError as exc:
            raise validation_error([Issue(["domain"], str(exc))]) from None
    return CompanyFilter(name=name or None, ascii_domain=ascii_domain)


def _parse_domains(domains: Sequence[str]) -> list[Domain]:
    problems, parsed = [], []
    for index, text in enumerate(domains):
        try:
            parsed.append(parse_domain(text))
        except ValueError as exc:
            problems.append(Issue(["domains", index], f"{text!r} {exc}"))
    if problems:
        raise validation_error(problems)
    return parsed


def _link_contacts(session: Session, company: Company, domains: Sequence[Domain]) -> int:
    # Free-mail domains say nothing about where someone works: never bulk-link gmail.com.
    linkable = [d.ascii for d in domains if not is_free_mail(d.ascii)]
    return repository.link_contacts_by_domain(session, company, linkable)
