"""The public portal's project reads, served under /api/v1/projects: no key needed, one accepted."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from laneway.kit.openapi import LanewayRoute
from laneway.kit.web import Db, json_answer
from laneway.projects import repository
from laneway.projects.schemas import PortalProjectAnswer, PortalProjectOut, PortalProjectsOut
from laneway.projects.service import require_project
from laneway.workspaces.service import require_published

router = APIRouter(route_class=LanewayRoute)


@router.get("/{workspace_id}", response_model=PortalProjectsOut, summary="List portal projects (public)")
async def list_projects(workspace_id: str, db: Db) -> Response:
    def work(session: Session) -> str:
        require_published(session, workspace_id)
        projects = repository.for_portal(session, workspace_id)
        return PortalProjectsOut(
            projects=[PortalProjectOut.model_validate(p) for p in projects]
        ).model_dump_json()

    return json_answer(await db.run(work, write=False))


@router.get(
    "/{workspace_id}/{project_id}",
    response_model=PortalProjectAnswer,
    summary="Get a portal project (public)",
)
async def get_project(workspace_id: str, project_id: str, db: Db) -> Response:
    def work(session: Session) -> str:
        require_published(session, workspace_id)
        project = require_project(session, workspace_id, project_id)
        return PortalProjectAnswer(project=PortalProjectOut.model_validate(project)).model_dump_json()

    return json_answer(await db.run(work, write=False))
