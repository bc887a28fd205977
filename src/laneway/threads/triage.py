"""Reading and triaging threads: get, list, update."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from pydantic.alias_generators import to_camel
from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from laneway.auth.caller import Caller
from laneway.companies.service import require_company
from laneway.contacts import repository as contacts
from laneway.kit.errors import NotFound
from laneway.kit.pagination import Cursor, PageRequest
from laneway.kit.time import utcnow
from laneway.members import repository as members
from laneway.outbox.service import EMAIL_THREAD_UPDATED, SLACK_THREAD_UPDATED, enqueue
from laneway.projects.service import require_project
from laneway.tags.service import require_tags
from laneway.threads import counts, repository
from laneway.threads.models import Thread
from laneway.threads.repository import ThreadFilter
from laneway.threads.schemas import UpdateThread
from laneway.threads.service import ThreadRules, emit_thread


def require_thread(session: Session, workspace_id: str, thread_id: str, *, lock: bool = False) -> Thread:
    """The workspace's live thread; NotFound for unknown ids and other workspaces'. `lock` holds
    its row for the rest of a write transaction."""
    thread = repository.get(session, workspace_id, thread_id, lock=lock)
    if thread is None:
        raise NotFound(f"No thread with id {thread_id}")
    return thread


@dataclass(frozen=True, slots=True)
class ThreadPage:
    threads: list[RowMapping]
    count: int
    has_more: bool
    last: Cursor | None


def require_thread_row(session: Session, workspace_id: str, thread_id: str) -> RowMapping:
    """The workspace's live thread as a row of its columns, to answer with; NotFound as above."""
    thread = repository.get_row(session, workspace_id, thread_id)
    if thread is None:
        raise NotFound(f"No thread with id {thread_id}")
    return thread


def list_threads(session: Session, workspace_id: str, where: ThreadFilter, page: PageRequest) -> ThreadPage:
    """One page of the workspace's threads, newest first, with the total that match."""
    rows = repository.page(
        session, workspace_id, where, skip=page.skip, take=page.take + 1, after=page.cursor
    )
    has_more = len(rows) > page.take
    rows = rows[: page.take]
    last = Cursor(rows[-1]["created_at"], rows[-1]["id"]) if rows else None
    return ThreadPage(rows, repository.count(session, workspace_id, where), has_more, last)


def update_thread(
    session: Session, caller: Caller, thread_id: str, data: UpdateThread, rules: ThreadRules
) -> Thread:
    """Change only the fields sent. A state change stamps lastStateChangeAt; SNOOZED snoozes for
    the default period; `projectId` adds a link; `tagIds` replaces the tags."""
    workspace_id = caller.workspace_id
    sent = data.model_fields_set
    if not sent - {"notify"}:
        # Nothing to change (an empty body, or only fields v1 does not know): nothing changes,
        # not even updatedAt, and nobody is told.
        return require_thread(session, workspace_id, thread_id)
    thread = require_thread(session, workspace_id, thread_id, lock=True)
    now = utcnow()
    if "assignee_id" in sent:
        if (
            data.assignee_id is not None
            and members.member_user(session, workspace_id, data.assignee_id) is None
        ):
            raise NotFound(f"No member with id {data.assignee_id} in this workspace")
        thread.assignee_id = data.assignee_id
    if "contact_id" in sent:
        if data.contact_id is not None and contacts.get(session, workspace_id, data.contact_id) is None:
            raise NotFound(f"No contact with id {data.contact_id}")
        thread.contact_id = data.contact_id
    if "company_id" in sent:
        thread.company_id = (
            require_company(session, workspace_id, data.company_id, lock="key share").id
            if data.company_id
            else None
        )
    if data.project_id is not None:
        project = require_project(session, workspace_id, data.project_id)
        if repository.link_project_once(session, thread, project.id, now):
            counts.bump(session, workspace_id, {counts.project_scope(project.id): 1})
    if data.tag_ids is not None:
        repository.set_tags(
            session, thread, [t.id for t in require_tags(session, workspace_id, data.tag_ids)]
        )
    if data.text is not None:
        thread.text = data.text
    if "title" in sent:
        thread.title = data.title if data.title and data.title.strip() else None
    if data.pain_level is not None:
        thread.pain_level = data.pain_level
    previous_state = thread.state
    if data.state is not None:
        _set_state(thread, data.state, now, rules)
    # A sent updatedAt is kept as sent, even before createdAt: imports replay edits of their own.
    thread.updated_at = data.updated_at or now
    if data.notify is not None:
        payload = {"threadId": thread.id, "changed": sorted(sent - {"notify"})}
        if data.notify.slack:
            enqueue(session, workspace_id, SLACK_THREAD_UPDATED, payload)
        if data.notify.email:
            enqueue(session, workspace_id, EMAIL_THREAD_UPDATED, payload)
    session.flush()
    emit_thread(session, thread, "thread.updated", changed=sorted(to_camel(f) for f in sent))
    counts.bump(session, workspace_id, counts.for_state_change(previous_state, thread.state))
    if thread.state != previous_state:
        emit_thread(session, thread, "thread.state_changed", previousState=previous_state)
    return thread


def _set_state(thread: Thread, state: str, now: datetime, rules: ThreadRules) -> None:
    if state != thread.state:
        thread.state = state
        thread.last_state_change_at = now
    # Snoozing again restarts the clock; any other state ends the snooze.
    thread.snoozed_until = now + rules.snooze_period if state == "SNOOZED" else None


def wake_snoozed(session: Session, now: datetime) -> int:
    """Turn every due SNOOZED thread UNSNOOZED, keep the counts, and tell the webhooks;
    returns how many woke."""
    woke = repository.wake_snoozed(session, now)
    per_workspace = Counter(workspace_id for _, workspace_id in woke)
    for workspace_id, n in sorted(per_workspace.items()):
        counts.bump(
            session, workspace_id, {counts.state_scope("SNOOZED"): -n, counts.state_scope("UNSNOOZED"): n}
        )
    for thread_id, _ in woke:
        thread = session.get(Thread, thread_id)
        if thread is not None:
            emit_thread(session, thread, "thread.state_changed", previousState="SNOOZED")
    return len(woke)
