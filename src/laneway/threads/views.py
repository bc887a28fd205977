"""Turning threads and what surrounds them into the response schemas, with batched loading."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from laneway.companies.models import Company
from laneway.companies.schemas import CompanyOut
from laneway.contacts.models import Contact
from laneway.contacts.schemas import ContactOut
from laneway.members import repository as members
from laneway.members.schemas import MemberOut
from laneway.threads import repository
from laneway.threads.models import Thread, ThreadMessage
from laneway.threads.schemas import (
    AuthorOut,
    CreatedThreadOut,
    LinkedIssueOut,
    LinkedProjectOut,
    MessageOut,
    RecipientOut,
    TagOut,
    ThreadConversationOut,
    ThreadDetailOut,
    ThreadOut,
)
from laneway.threads.service import CreatedThread
from laneway.workspaces.schemas import WorkspaceEmbedOut


def thread_outs(session: Session, workspace_id: str, threads: Sequence[Thread]) -> list[ThreadOut]:
    """Threads with their linked projects and issues: two queries for the whole list."""
    ids = [t.id for t in threads]
    projects = repository.linked_projects(session, workspace_id, ids)
    issues = repository.linked_issues(session, workspace_id, ids)
    return [
        ThreadOut(
            **ThreadOut.columns(t),
            linked_projects=[LinkedProjectOut.model_validate(p) for p in projects.get(t.id, [])],
            linked_issues=[LinkedIssueOut.model_validate(i) for i in issues.get(t.id, [])],
        )
        for t in threads
    ]


def _member(session: Session, workspace_id: str, user_id: str | None) -> MemberOut | None:
    found = members.member_user(session, workspace_id, user_id) if user_id else None
    return MemberOut.of(*found) if found else None


def thread_detail(
    session: Session, workspace_id: str, thread: Thread, *, conversation: bool = False
) -> ThreadDetailOut:
    """One thread with its contact, company, assignee, reporter, tags (and conversation)."""
    (base,) = thread_outs(session, workspace_id, [thread])
    # Primary-key lookups of ids the thread holds, which were checked against the workspace.
    contact = session.get(Contact, thread.contact_id) if thread.contact_id else None
    company = session.get(Company, thread.company_id) if thread.company_id else None
    fields = dict(
        base,
        contact=ContactOut.model_validate(contact) if contact else None,
        company=CompanyOut.model_validate(company) if company and not company.is_deleted else None,
        assignee=_member(session, workspace_id, thread.assignee_id),
        reporter=_member(session, workspace_id, thread.reporter_id),
        tags=[TagOut.model_validate(t) for t in repository.tags_of(session, workspace_id, thread.id)],
    )
    if not conversation:
        return ThreadDetailOut(**fields)
    messages = [_opening(thread, contact)]
    authors: dict[str, MemberOut | None] = {}
    for message in repository.messages(session, workspace_id, thread.id):
        if message.author_id and message.author_id not in authors:
            authors[message.author_id] = _member(session, workspace_id, message.author_id)
        messages.append(_message(message, authors.get(message.author_id or "")))
    return ThreadConversationOut(**fields, conversation=messages)


def _opening(thread: Thread, contact: Contact | None) -> MessageOut:
    """The customer's first message is the thread's own text; it shares the thread's id."""
    author = AuthorOut(
        type="contact",
        id=contact.id if contact else None,
        name=contact.name if contact else None,
        email=contact.email if contact else None,
    )
    return MessageOut(
        id=thread.id,
        thread_id=thread.id,
        direction="INBOUND",
        content=thread.text,
        created_at=thread.created_at,
        author=author,
        cc=[],
        bcc=[],
    )


def _message(message: ThreadMessage, member: MemberOut | None) -> MessageOut:
    return MessageOut(
        id=message.id,
        thread_id=message.thread_id,
        direction="OUTBOUND" if message.direction == "OUTBOUND" else "INBOUND",
        content=message.content,
        created_at=message.created_at,
        author=AuthorOut(
            type="member" if message.author_type == "member" else "contact",
            id=message.author_id,
            name=member.name if member else None,
            email=member.email if member else None,
        ),
        cc=[RecipientOut.model_validate(r) for r in message.cc],
        bcc=[RecipientOut.model_validate(r) for r in message.bcc],
    )


def created_out(created: CreatedThread) -> CreatedThreadOut:
    """The answer to POST /threads."""
    return CreatedThreadOut(
        **ThreadOut.columns(created.thread),
        linked_projects=[LinkedProjectOut.model_validate(p) for p in created.projects],
        linked_issues=[LinkedIssueOut.model_validate(i) for i in created.issues],
        workspace=WorkspaceEmbedOut.of(created.workspace),
        company=CompanyOut.model_validate(created.company) if created.company else None,
        contact=ContactOut.model_validate(created.contact),
        reporter=MemberOut.of(*created.reporter),
    )
