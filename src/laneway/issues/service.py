"""Roadmap issues that feedback is linked to."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laneway.issues import repository
from laneway.issues.models import Issue
from laneway.kit.errors import BadRequest, NotFound
from laneway.projects.service import require_project


def create_issue(session: Session, workspace_id: str, *, title: str, project_id: str | None = None) -> Issue:
    """A new issue in the workspace, optionally inside one of its projects."""
    if not title.strip() or len(title) > 512:
        raise BadRequest("title must be 1 to 512 characters and not blank")
    if project_id is not None:
        require_project(session, workspace_id, project_id)
    issue = Issue(workspace_id=workspace_id, title=title, project_id=project_id)
    session.add(issue)
    session.flush()
    return issue


def require_issue(session: Session, workspace_id: str, issue_id: str) -> Issue:
    """The workspace's issue; NotFound for unknown ids and other workspaces'."""
    issue = repository.get(session, workspace_id, issue_id)
    if issue is None:
        raise NotFound(f"No issue with id {issue_id}")
    return issue
