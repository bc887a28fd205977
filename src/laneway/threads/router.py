"""The v1 thread routes, served under /api/v1/threads and the older /api/v1/insights."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from laneway.auth.dependencies import CurrentCaller
from laneway.auth.service import require_writer
from laneway.companies.schemas import CompanyOut
from laneway.contacts.schemas import ContactOut
from laneway.kit.body import json_body
from laneway.kit.web import AppSettings, Db
from laneway.members.schemas import MemberOut
from laneway.threads import service
from laneway.threads.schemas import (
    CreatedThreadOut,
    CreateThread,
    LinkedIssueOut,
    LinkedProjectOut,
    ThreadOut,
)
from laneway.workspaces.schemas import WorkspaceEmbedOut

router = APIRouter()


@router.post("", response_model=CreatedThreadOut, summary="Create thread")
async def create_thread(
    caller: CurrentCaller,
    body: Annotated[CreateThread, Depends(json_body(CreateThread))],
    db: Db,
    settings: AppSettings,
) -> CreatedThreadOut:
    require_writer(caller)
    rules = service.ThreadRules(
        snooze_period=settings.snooze_period, import_threshold=settings.import_threshold
    )

    def work(session: Session) -> CreatedThreadOut:
        created = service.create_thread(session, caller, body, rules)
        return CreatedThreadOut(
            **ThreadOut.columns(created.thread),
            linked_projects=[LinkedProjectOut.model_validate(p) for p in created.projects],
            linked_issues=[LinkedIssueOut.model_validate(i) for i in created.issues],
            workspace=WorkspaceEmbedOut.of(created.workspace),
            company=CompanyOut.model_validate(created.company) if created.company else None,
            contact=ContactOut.model_validate(created.contact),
            reporter=MemberOut.of(*created.reporter),
        )

    return await db.run(work)
