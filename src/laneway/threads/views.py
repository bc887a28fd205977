"""Turning threads and what surrounds them into answers, with batched loading.

The answers of the busiest routes (a thread, a page of threads, a created thread) are built
from rows by `Shape`s of their response schemas (kit/shapes); the schemas stay what defines
them, and the tests check every such answer against its schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from laneway.companies import repository as companies
from laneway.companies.schemas import CompanyOut
from laneway.contacts import repository as contacts
from laneway.contacts.schemas import ContactOut
from laneway.kit.shapes import Columns, Shape, columns_of
from laneway.members import repository as members
from laneway.members.schemas import MemberOut
from laneway.threads import repository
from laneway.threads.models import ThreadMessage
from laneway.threads.schemas import (
    AuthorOut,
    LinkedIssueOut,
    LinkedProjectOut,
    MessageOut,
    RecipientOut,
    TagOut,
    ThreadOut,
)
from laneway.threads.service import CreatedThread
from laneway.workspaces.schemas import SlackSettingsOut, WorkspaceEmbedOut

THREAD = Shape(ThreadOut)
PROJECT = Shape(LinkedProjectOut)
ISSUE = Shape(LinkedIssueOut)
CONTACT = Shape(ContactOut)
COMPANY = Shape(CompanyOut)
MEMBER = Shape(MemberOut)
TAG = Shape(TagOut)
WORKSPACE = Shape(WorkspaceEmbedOut)
SLACK = Shape(SlackSettingsOut)


def thread_outs(session: Session, workspace_id: str, threads: Sequence[Columns]) -> list[dict[str, Any]]:
    """Threads (rows of their columns) with their linked projects and issues: two queries for
    the whole list."""
    ids = [t["id"] for t in threads]
    projects = repository.linked_projects(session, workspace_id, ids)
    issues = repository.linked_issues(session, workspace_id, ids)
    return [
        THREAD.of(
            {
                **t,
                "linked_projects": PROJECT.many(projects.get(t["id"], ())),
                "linked_issues": ISSUE.many(issues.get(t["id"], ())),
            }
        )
        for t in threads
    ]


def thread_detail(
    session: Session, workspace_id: str, thread: Columns, *, conversation: bool = False
) -> dict[str, Any]:
    """One thread (a row of its columns) with its contact, company, assignee, reporter, tags
    (and conversation): ThreadDetailOut, or ThreadConversationOut."""
    (base,) = thread_outs(session, workspace_id, [thread])
    # Lookups of ids the thread holds, which were checked against the workspace.
    contact = contacts.row(session, workspace_id, thread["contact_id"]) if thread["contact_id"] else None
    company = companies.row(session, workspace_id, thread["company_id"]) if thread["company_id"] else None
    people = members.member_rows(
        session, workspace_id, [i for i in (thread["assignee_id"], thread["reporter_id"]) if i]
    )
    assignee, reporter = people.get(thread["assignee_id"]), people.get(thread["reporter_id"])
    base.update(
        contact=CONTACT.of(contact) if contact else None,
        company=COMPANY.of(company) if company and not company["is_deleted"] else None,
        assignee=MEMBER.of(assignee) if assignee else None,
        reporter=MEMBER.of(reporter) if reporter else None,
        tags=TAG.many(repository.tags_of(session, workspace_id, thread["id"])),
    )
    if conversation:
        base["conversation"] = _conversation(session, workspace_id, thread, contact)
    return base


def _conversation(
    session: Session, workspace_id: str, thread: Columns, contact: Columns | None
) -> list[dict[str, Any]]:
    replies = repository.messages(session, workspace_id, thread["id"])
    # The members among the authors, in one query (a contact's id matches no member).
    authors = members.member_rows(session, workspace_id, [m.author_id for m in replies if m.author_id])
    messages = [_opening(thread, contact), *(_message(m, authors.get(m.author_id or "")) for m in replies)]
    return [m.model_dump(mode="json", by_alias=True) for m in messages]


def _opening(thread: Columns, contact: Columns | None) -> MessageOut:
    """The customer's first message is the thread's own text; it shares the thread's id."""
    author = AuthorOut(
        type="contact",
        id=contact["id"] if contact else None,
        name=contact["name"] if contact else None,
        email=contact["email"] if contact else None,
    )
    return MessageOut(
        id=thread["id"],
        thread_id=thread["id"],
        direction="INBOUND",
        content=thread["text"],
        created_at=thread["created_at"],
        author=author,
        cc=[],
        bcc=[],
    )


def _message(message: ThreadMessage, member: Columns | None) -> MessageOut:
    return MessageOut(
        id=message.id,
        thread_id=message.thread_id,
        direction="OUTBOUND" if message.direction == "OUTBOUND" else "INBOUND",
        content=message.content,
        created_at=message.created_at,
        author=AuthorOut(
            type="member" if message.author_type == "member" else "contact",
            id=message.author_id,
            name=member["name"] if member else None,
            email=member["email"] if member else None,
        ),
        cc=[RecipientOut.model_validate(r) for r in message.cc],
        bcc=[RecipientOut.model_validate(r) for r in message.bcc],
    )


def created_out(created: CreatedThread) -> dict[str, Any]:
    """The answer to POST /threads (CreatedThreadOut)."""
    workspace = created.workspace
    return THREAD.of(
        {
            **columns_of(created.thread),
            "linked_projects": PROJECT.many(columns_of(p) for p in created.projects),
            "linked_issues": ISSUE.many(columns_of(i) for i in created.issues),
        }
    ) | {
        "workspace": WORKSPACE.of(
            {
                **workspace,
                "slack_settings": SLACK.of(
                    {"notification_channel_id": workspace["slack_notification_channel_id"]}
                ),
            }
        ),
        "company": COMPANY.of(columns_of(created.company)) if created.company else None,
        "contact": CONTACT.of(columns_of(created.contact)),
        "reporter": MEMBER.of(created.reporter),
    }
