"""Roadmap projects that feedback is linked to."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laneway.kit.errors import BadRequest, NotFound
from laneway.projects import repository
from laneway.projects.models import Project


def create_project(
    session: Session, workspace_id: str, *, name: str, description: str | None = None
) -> Project:
    """A new project in the workspace."""
    if not name.strip() or len(name) > 255:
        raise BadRequest("name must be 1 to 255 characters and not blank")
    project = Project(workspace_id=workspace_id, name=name, description=description, linear_team_ids=[])
    session.add(project)
    session.flush()
    return project


def require_project(session: Session, workspace_id: str, project_id: str) -> Project:
    """The workspace's project; NotFound for unknown ids and other workspaces'."""
    project = repository.get(session, workspace_id, project_id)
    if project is None:
        raise NotFound(f"No project with id {project_id}")
    return project
