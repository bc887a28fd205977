"""The public workspace route, served under /api/v1/workspaces: no key needed, one accepted."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from laneway.kit.errors import NotFound
from laneway.kit.web import Db
from laneway.workspaces import repository
from laneway.workspaces.schemas import PublicWorkspaceAnswer, PublicWorkspaceOut

router = APIRouter()


@router.get("/{workspace_id}", response_model=PublicWorkspaceAnswer, summary="Get a workspace (public)")
async def get_workspace(workspace_id: str, db: Db) -> PublicWorkspaceAnswer:
    # Answers for unpublished workspaces too (isPublished false): only the portal reads need one.
    def work(session: Session) -> PublicWorkspaceAnswer:
        workspace = repository.get(session, workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found")
        return PublicWorkspaceAnswer(workspace=PublicWorkspaceOut.model_validate(workspace))

    return await db.run(work, write=False)
