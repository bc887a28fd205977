"""Creating threads: the heart of the v1 API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from laneway.auth.caller import Caller
from laneway.companies import repository as companies
from laneway.companies.models import Company
from laneway.companies.service import company_for_domain, lock_domain_for_contact, require_company
from laneway.contacts import repository as contacts
from laneway.contacts.models import Contact
from laneway.contacts.service import upsert_contact
from laneway.issues.models import Issue
from laneway.issues.service import require_issue
from laneway.kit.errors import NotFound
from laneway.kit.ids import new_id
from laneway.kit.time import utcnow
from laneway.members import repository as members
from laneway.outbox.service import EMAIL_THREAD_RECEIVED, SLACK_THREAD_CREATED, enqueue
from laneway.projects.models import Project
from laneway.projects.service import require_project
from laneway.threads import counts, repository
from laneway.threads.models import Thread
from laneway.threads.schemas import CreateThread, LinkedIssueOut, LinkedProjectOut, ThreadOut
from laneway.threads.titles import generate_title
from laneway.webhooks.service import emit
from laneway.workspaces import repository as workspaces


@dataclass(frozen=True, slots=True)
class ThreadRules:
    """The operator's settings that shape a new thread."""

    snooze_period: timedelta = timedelta(hours=24)
    # A sent createdAt older than this marks an import, which notifies nobody.
    import_threshold: timedelta = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class CreatedThread:
    thread: Thread
    workspace: RowMapping
    contact: Contact
    company: Company | None
    reporter: RowMapping
    projects: list[Project]
    issues: list[Issue]


def create_thread(session: Session, caller: Caller, data: CreateThread, rules: ThreadRules) -> CreatedThread:
    """Create a thread from a v1 body: upsert the contact, pick the company, check and link the
    assignee, project and issue, generate a title while the quota lasts, and queue the
    notifications asked for. Nothing is committed here."""
    workspace_id = caller.workspace_id
    now = utcnow()
    email = data.email
    # Locks in the one order every writer takes them: the address's domain, then companies,
    # then contact rows. Any other order deadlocks against a company being changed or deleted.
    lock_domain_for_contact(session, workspace_id, email.domain)
    people = members.member_rows(session, workspace_id, [caller.user_id, *filter(None, [data.assignee_id])])
    reporter = people.get(caller.user_id)
    if reporter is None:  # the key's member was removed after the key was checked
        raise NotFound("The member of this API key is no longer in the workspace")
    if data.assignee_id is not None and data.assignee_id not in people:
        raise NotFound(f"No member with id {data.assignee_id} in this workspace")
    project = require_project(session, workspace_id, data.project_id) if data.project_id else None
    issue = require_issue(session, workspace_id, data.issue_id) if data.issue_id else None
    sent_company = (
        require_company(session, workspace_id, data.company_id, lock="key share") if data.company_id else None
    )

    known = contacts.by_email_key(session, workspace_id, email.key)
    known_company = _company_of(session, known)
    upserted = upsert_contact(session, workspace_id, email, data.contact_name, now, found=known)
    contact = upserted.contact
    company = sent_company or known_company or company_for_domain(session, workspace_id, email.domain)
    if company is not None and contact.company_id is None:
        contact.company_id = company.id
        contact.version += 1
        contact.updated_at = now

    created_at = data.created_at or now
    state = data.state or "NEW"
    thread = Thread(
        id=new_id(),
        workspace_id=workspace_id,
        created_at=created_at,
        # Never before createdAt (a client clock a little behind ours may send that).
        updated_at=max(data.updated_at or created_at, created_at),
        is_deleted=False,
        is_read=False,
        text=data.text,
        pain_level=data.pain_level,
        state=state,
        origin=data.origin or "API",
        title=_title(session, workspace_id, data),
        snoozed_until=now + rules.snooze_period if state == "SNOOZED" else None,
        last_state_change_at=created_at,
        last_inbound_message_at=created_at,
        contact_id=contact.id,
        company_id=company.id if company else None,
        reporter_id=caller.user_id,
        assignee_id=data.assignee_id,
        attachments=[],
    )
    repository.add(session, thread)
    if project is not None:
        repository.link_project(session, thread, project.id, now)
    if issue is not None:
        repository.link_issue(session, thread, issue.id, now)
    _queue_notifications(session, thread, data, now - rules.import_threshold)
    session.flush()
    new = counts.for_new_thread(state, project.id if project else None, issue.id if issue else None)
    counts.bump(session, workspace_id, new)
    emit_thread(
        session,
        thread,
        "thread.created",
        projects=[project] if project else [],
        issues=[issue] if issue else [],
    )
    workspace = workspaces.embed_row(session, workspace_id)
    assert workspace is not None
    return CreatedThread(
        thread=thread,
        workspace=workspace,
        contact=contact,
        company=company,
        reporter=reporter,
        projects=[project] if project else [],
        issues=[issue] if issue else [],
    )


def _company_of(session: Session, known: Contact | None) -> Company | None:
    """The live company of a contact already known, if it has one, held (KEY SHARE) before the
    contact row is written: a company deleted meanwhile is not linked."""
    if known is None or known.company_id is None:
        return None
    return companies.get(session, known.workspace_id, known.company_id, lock="key share")


def _title(session: Session, workspace_id: str, data: CreateThread) -> str | None:
    if data.title is not None and data.title.strip():
        return data.title
    candidate = generate_title(data.text)
    if candidate is not None and workspaces.take_generated_title(session, workspace_id):
        return candidate
    return None


def _queue_notifications(
    session: Session, thread: Thread, data: CreateThread, import_before: datetime
) -> None:
    if data.notify is None or thread.created_at < import_before:
        return  # nothing asked for, or an import of old feedback: tell nobody
    payload = {"threadId": thread.id, "contactId": thread.contact_id}
    if data.notify.slack:
        enqueue(session, thread.workspace_id, SLACK_THREAD_CREATED, payload)
    if data.notify.email:
        enqueue(session, thread.workspace_id, EMAIL_THREAD_RECEIVED, payload)


def emit_thread(
    session: Session,
    thread: Thread,
    event_type: str,
    *,
    projects: list[Project] | None = None,
    issues: list[Issue] | None = None,
    **extra: Any,
) -> None:
    """Queue a webhook event carrying the thread as the API shows it (made only when some
    endpoint listens)."""

    def data() -> dict[str, Any]:
        shown = ThreadOut(
            **ThreadOut.columns(thread),
            linked_projects=[LinkedProjectOut.model_validate(p) for p in projects or []],
            linked_issues=[LinkedIssueOut.model_validate(i) for i in issues or []],
        )
        return {"thread": shown.model_dump(mode="json"), **extra}

    emit(session, thread.workspace_id, event_type, data)
