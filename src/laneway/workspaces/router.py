"""The public workspace route, served under /api/v1/workspaces: no key needed, one accepted."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from laneway.kit.errors import NotFound
from laneway.kit.openapi import LanewayRoute
from laneway.kit.web import Db, json_answer
from laneway.workspaces import repository
from laneway.workspaces.schemas import PublicWorkspaceAnswer, PublicWorkspaceOut

router = APIRouter(route_class=LanewayRoute)


@router.get("/{workspace_id}", response_model=PublicWorkspaceAnswer, summary="Get a workspace (public)")
async def get_workspace(workspace_id: str, db: Db) -> Response:
    # Answers for unpublished workspaces too (isPublished false): only the portal reads need one.
    def work(session: Session) -> str:
        workspace = repository.get(session, workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found")
        return PublicWorkspaceAnswer(workspace=PublicWorkspaceOut.model_validate(workspace)).model_dump_json()

    return json_answer(await db.run(work, write=False))
