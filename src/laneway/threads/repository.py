"""Every query on threads, their links, tags and messages, scoped to one workspace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, Select, and_, bindparam, delete, false, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from laneway.issues.models import Issue
from laneway.kit.pagination import Cursor
from laneway.kit.upsert import insert_if_absent
from laneway.projects.models import Project
from laneway.tags.models import Tag
from laneway.threads import counts
from laneway.threads.models import Thread, ThreadIssue, ThreadMessage, ThreadProject, ThreadTag


@dataclass(frozen=True, slots=True)
class ThreadFilter:
    state: str | None = None
    project_id: str | None = None
    issue_id: str | None = None


def add(session: Session, thread: Thread) -> None:
    session.add(thread)


# The statements of the busiest reads, built once: building a statement and its cache key
# costs more than running it (about 0.25 ms a statement, as much as the rest of the lookup).
_LIVE_THREAD = select(Thread).where(
    Thread.workspace_id == bindparam("workspace_id"),
    Thread.id == bindparam("thread_id"),
    Thread.is_deleted.is_(False),
)
_LIVE_THREAD_LOCKED = _LIVE_THREAD.with_for_update()
# The threads of a page, by primary key.
_THREADS_OF_PAGE = and_(
    Thread.workspace_id == bindparam("workspace_id"), Thread.id.in_(bindparam("thread_ids", expanding=True))
)
# Reads answer from rows (Core), not ORM objects: the ORM's loading costs more than the query.
_PAGE_ROWS = select(Thread.__table__).where(_THREADS_OF_PAGE)
_LIVE_THREAD_ROW = select(Thread.__table__).where(
    Thread.workspace_id == bindparam("workspace_id"),
    Thread.id == bindparam("thread_id"),
    Thread.is_deleted.is_(False),
)


def _linked(
    link: type[ThreadProject | ThreadIssue], target: type[Project | Issue], shown: Sequence[str]
) -> Select[Any]:
    """A page's links with the columns shown of what they link to, oldest link first: from its
    threads by primary key, then the links by thread id (a plan both planners pick given the
    statistics kit/tablestats keeps; a workspace's links or projects first cost 5-15 ms a page
    on large workspaces)."""
    target_id = ThreadProject.project_id if link is ThreadProject else ThreadIssue.issue_id
    return (
        select(link.thread_id.label("link_thread_id"), *(getattr(target, name) for name in shown))
        .select_from(Thread)
        .join(link, link.thread_id == Thread.id)
        .join(target, target.id == target_id)
        .where(_THREADS_OF_PAGE)
        .order_by(link.created_at, target.id)
    )


_LINKED_PROJECTS = _linked(
    ThreadProject, Project, ["id", "name", "description", "state", "linear_project_id"]
)
_LINKED_ISSUES = _linked(ThreadIssue, Issue, ["id", "title", "project_id", "state", "linear_issue_id"])

_TAGS_OF = (
    select(Tag.id, Tag.name, Tag.color)
    .join(ThreadTag, ThreadTag.tag_id == Tag.id)
    .where(ThreadTag.workspace_id == bindparam("workspace_id"), ThreadTag.thread_id == bindparam("thread_id"))
    .order_by(Tag.name)
)


def get(session: Session, workspace_id: str, thread_id: str, *, lock: bool = False) -> Thread | None:
    """A live (not deleted) thread of the workspace; with `lock`, its row stays locked until the
    transaction ends (PostgreSQL), so concurrent changes of one thread apply one after another."""
    query = _LIVE_THREAD_LOCKED if lock else _LIVE_THREAD
    return session.scalars(query, {"workspace_id": workspace_id, "thread_id": thread_id}).first()


LIVE = Thread.is_deleted == false()


def page(
    session: Session, workspace_id: str, where: ThreadFilter, *, skip: int, take: int, after: Cursor | None
) -> list[RowMapping]:
    """Up to `take` threads, newest first (createdAt, then id, descending): after the cursor
    when one is given, else after skipping `skip`.

    The page's ids are found first, from an index that holds every column the query filters
    and sorts on (skipping walks that index alone), and only the page's rows are read."""
    connection = session.connection()
    ids = (
        connection.execute(_page_ids(workspace_id, where, skip=skip, take=take, after=after)).scalars().all()
    )
    if not ids:
        return []
    rows = connection.execute(_PAGE_ROWS, {"workspace_id": workspace_id, "thread_ids": list(ids)}).mappings()
    found = {row["id"]: row for row in rows}
    return [found[i] for i in ids if i in found]


def get_row(session: Session, workspace_id: str, thread_id: str) -> RowMapping | None:
    """A live thread of the workspace as a row (for answers; `get` for changing it)."""
    params = {"workspace_id": workspace_id, "thread_id": thread_id}
    return session.connection().execute(_LIVE_THREAD_ROW, params).mappings().first()


def _page_ids(
    workspace_id: str, where: ThreadFilter, *, skip: int, take: int, after: Cursor | None
) -> Select[str]:
    query, thread_id, created_at = _matching(workspace_id, where)
    if after is not None:
        query = query.where(
            or_(created_at < after.created_at, and_(created_at == after.created_at, thread_id < after.id))
        )
    else:
        query = query.offset(skip)
    return query.order_by(created_at.desc(), thread_id.desc()).limit(take)


def _matching(
    workspace_id: str, where: ThreadFilter
) -> tuple[Select[str], InstrumentedAttribute[str], InstrumentedAttribute[datetime]]:
    """The ids of the live threads that match, with the (id, createdAt) columns to sort them by.
    Filtered by project or issue, the link table has them in order; otherwise the threads do."""
    link: type[ThreadProject] | type[ThreadIssue] | None = None
    if where.project_id is not None:
        link, linked_to = ThreadProject, ThreadProject.project_id == where.project_id
    elif where.issue_id is not None:
        link, linked_to = ThreadIssue, ThreadIssue.issue_id == where.issue_id
    if link is None:
        query = select(Thread.id).where(Thread.workspace_id == workspace_id, LIVE)
        thread_id, created_at = Thread.id, Thread.created_at
    else:
        query = (
            select(link.thread_id)
            .join(Thread, Thread.id == link.thread_id)
            .where(link.workspace_id == workspace_id, linked_to, LIVE)
        )
        thread_id, created_at = link.thread_id, link.thread_created_at
    if where.state is not None:
        query = query.where(Thread.state == where.state)
    if where.project_id is not None and where.issue_id is not None:
        query = query.where(
            Thread.id.in_(
                select(ThreadIssue.thread_id).where(
                    ThreadIssue.workspace_id == workspace_id, ThreadIssue.issue_id == where.issue_id
                )
            )
        )
    return query, thread_id, created_at


def count(session: Session, workspace_id: str, where: ThreadFilter) -> int:
    """How many threads match: read from the kept counts for no filter or a single one;
    counted row by row only for combined filters."""
    given = [s for s in (where.state, where.project_id, where.issue_id) if s is not None]
    if len(given) <= 1:
        scope = (
            counts.state_scope(where.state) if where.state is not None
            else counts.project_scope(where.project_id) if where.project_id is not None
            else counts.issue_scope(where.issue_id) if where.issue_id is not None
            else counts.ALL
        )  # fmt: skip
        return counts.total(session, workspace_id, scope)
    matching, _, _ = _matching(workspace_id, where)
    return int(session.scalar(select(func.count()).select_from(matching.subquery())) or 0)


def link_project(session: Session, thread: Thread, project_id: str, at: datetime) -> None:
    session.add(
        ThreadProject(
            thread_id=thread.id,
            project_id=project_id,
            workspace_id=thread.workspace_id,
            created_at=at,
            thread_created_at=thread.created_at,
        )
    )


def link_project_once(session: Session, thread: Thread, project_id: str, at: datetime) -> bool:
    """Link a project unless the thread already has it (a concurrent request's link included).
    True when the link is new."""
    values = {
        "thread_id": thread.id,
        "project_id": project_id,
        "workspace_id": thread.workspace_id,
        "created_at": at,
        "thread_created_at": thread.created_at,
    }
    return insert_if_absent(session, ThreadProject, ["thread_id", "project_id"], values)


def link_issue(session: Session, thread: Thread, issue_id: str, at: datetime) -> None:
    session.add(
        ThreadIssue(
            thread_id=thread.id,
            issue_id=issue_id,
            workspace_id=thread.workspace_id,
            created_at=at,
            thread_created_at=thread.created_at,
        )
    )


def linked_projects(
    session: Session, workspace_id: str, thread_ids: Sequence[str]
) -> dict[str, list[RowMapping]]:
    """The projects of each thread (the columns a thread shows), oldest link first, in one query."""
    return _by_thread(session, _LINKED_PROJECTS, workspace_id, thread_ids)


def linked_issues(
    session: Session, workspace_id: str, thread_ids: Sequence[str]
) -> dict[str, list[RowMapping]]:
    """The issues of each thread (the columns a thread shows), oldest link first, in one query."""
    return _by_thread(session, _LINKED_ISSUES, workspace_id, thread_ids)


def _by_thread(
    session: Session, statement: Select[Any], workspace_id: str, thread_ids: Sequence[str]
) -> dict[str, list[RowMapping]]:
    """The rows `statement` links to each of the threads, as {thread id: [row, ...]}."""
    found: dict[str, list[RowMapping]] = defaultdict(list)
    if thread_ids:
        params = {"workspace_id": workspace_id, "thread_ids": list(thread_ids)}
        for row in session.connection().execute(statement, params).mappings():
            found[row["link_thread_id"]].append(row)
    return found


def tags_of(session: Session, workspace_id: str, thread_id: str) -> list[RowMapping]:
    """The thread's tags (id, name, color), by name."""
    params = {"workspace_id": workspace_id, "thread_id": thread_id}
    return list(session.connection().execute(_TAGS_OF, params).mappings())


def set_tags(session: Session, thread: Thread, tag_ids: Sequence[str]) -> None:
    session.execute(
        delete(ThreadTag).where(
            ThreadTag.workspace_id == thread.workspace_id, ThreadTag.thread_id == thread.id
        )
    )
    session.add_all(
        ThreadTag(thread_id=thread.id, tag_id=t, workspace_id=thread.workspace_id) for t in tag_ids
    )


def messages(session: Session, workspace_id: str, thread_id: str) -> list[ThreadMessage]:
    """The thread's messages after its opening one, oldest first."""
    return list(
        session.scalars(
            select(ThreadMessage)
            .where(ThreadMessage.workspace_id == workspace_id, ThreadMessage.thread_id == thread_id)
            .order_by(ThreadMessage.created_at, ThreadMessage.id)
        )
    )


def wake_snoozed(session: Session, now: datetime) -> list[tuple[str, str]]:
    """Every workspace's SNOOZED threads whose time is up turn UNSNOOZED (a clock job, not a
    request: it has no workspace to scope to). Returns their (id, workspace id)."""
    woke = session.execute(
        update(Thread)
        .where(Thread.state == "SNOOZED", Thread.snoozed_until <= now)
        .values(
            state="UNSNOOZED", last_state_change_at=Thread.snoozed_until, snoozed_until=None, updated_at=now
        )
        .returning(Thread.id, Thread.workspace_id)
        .execution_options(synchronize_session=False)
    )
    return [(thread_id, workspace_id) for thread_id, workspace_id in woke]
