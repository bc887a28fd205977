"""Companies: creating them, and finding the one a piece of feedback belongs to."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from laneway.companies import repository
from laneway.companies.domains import parse_domain
from laneway.companies.models import Company
from laneway.contacts.freemail import is_free_mail
from laneway.kit.errors import BadRequest, Issue, NotFound, validation_error


def require_company(session: Session, workspace_id: str, company_id: str) -> Company:
    """The workspace's company `company_id`; NotFound for unknown ids and other workspaces'."""
    company = repository.get(session, workspace_id, company_id)
    if company is None:
        raise NotFound(f"No company with id {company_id}")
    return company


def company_for_domain(session: Session, workspace_id: str, ascii_domain: str) -> Company | None:
    """The company an email domain points to; free-mail domains point to none."""
    if is_free_mail(ascii_domain):
        return None
    return repository.first_with_domain(session, workspace_id, ascii_domain)


def create_company(
    session: Session,
    workspace_id: str,
    *,
    name: str,
    domains: Sequence[str] = (),
    auto_add: bool = False,
    external_ids: Sequence[str] = (),
) -> Company:
    """A new company; with `auto_add`, the workspace's contacts at its domains join it."""
    if not name.strip() or len(name) > 255:
        raise BadRequest("name must be 1 to 255 characters and not blank")
    problems, parsed = [], []
    for index, text in enumerate(domains):
        try:
            parsed.append(parse_domain(text))
        except ValueError as exc:
            problems.append(Issue(["domains", index], f"{text!r} {exc}"))
    if problems:
        raise validation_error(problems)
    company = Company(
        workspace_id=workspace_id,
        name=name,
        domains=list(dict.fromkeys(d.name for d in parsed)),
        auto_add=auto_add,
        external_ids=list(external_ids),
    )
    session.add(company)
    session.flush()
    ascii_domains = [d.ascii for d in parsed]
    repository.set_domains(session, company, ascii_domains)
    if auto_add:
        linkable = [d for d in ascii_domains if not is_free_mail(d)]
        repository.link_contacts_by_domain(session, company, linkable)
    return company
