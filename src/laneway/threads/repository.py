"""Every query on threads and their links, scoped to one workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from laneway.threads.models import Thread, ThreadIssue, ThreadProject


def add(session: Session, thread: Thread) -> None:
    session.add(thread)


def link_project(session: Session, thread: Thread, project_id: str, at: datetime) -> None:
    session.add(
        ThreadProject(
            thread_id=thread.id, project_id=project_id, workspace_id=thread.workspace_id, created_at=at
        )
    )


def link_issue(session: Session, thread: Thread, issue_id: str, at: datetime) -> None:
    session.add(
        ThreadIssue(thread_id=thread.id, issue_id=issue_id, workspace_id=thread.workspace_id, created_at=at)
    )
