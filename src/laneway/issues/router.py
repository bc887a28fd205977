"""The public portal's issue reads, served under /api/v1/issues: no key needed, one accepted."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from laneway.issues import repository
from laneway.issues.schemas import PortalIssueAnswer, PortalIssueOut, PortalIssuesOut
from laneway.issues.service import require_issue
from laneway.kit.openapi import LanewayRoute
from laneway.kit.web import Db, json_answer
from laneway.workspaces.service import require_published

router = APIRouter(route_class=LanewayRoute)


@router.get("/{workspace_id}", response_model=PortalIssuesOut, summary="List portal issues (public)")
async def list_issues(workspace_id: str, db: Db) -> Response:
    def work(session: Session) -> str:
        require_published(session, workspace_id)
        issues = repository.for_portal(session, workspace_id)
        return PortalIssuesOut(issues=[PortalIssueOut.model_validate(i) for i in issues]).model_dump_json()

    return json_answer(await db.run(work, write=False))


@router.get(
    "/{workspace_id}/{issue_id}", response_model=PortalIssueAnswer, summary="Get a portal issue (public)"
)
async def get_issue(workspace_id: str, issue_id: str, db: Db) -> Response:
    def work(session: Session) -> str:
        require_published(session, workspace_id)
        issue = require_issue(session, workspace_id, issue_id)
        return PortalIssueAnswer(issue=PortalIssueOut.model_validate(issue)).model_dump_json()

    return json_answer(await db.run(work, write=False))
