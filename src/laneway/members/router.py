"""The v1 member routes, served under /api/v1/users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from laneway.auth.dependencies import CurrentCaller
from laneway.kit.body import json_body
from laneway.kit.web import Db
from laneway.members import service
from laneway.members.schemas import ChangeRole, Invite, InvitedOut, MembershipOut

router = APIRouter()


@router.get("", response_model=list[MembershipOut], summary="List members")
@router.get("/members", response_model=list[MembershipOut], summary="List members (alias)")
async def list_members(caller: CurrentCaller, db: Db) -> list[MembershipOut]:
    def work(session: Session) -> list[MembershipOut]:
        return [MembershipOut.of(m, u) for m, u in service.list_members(session, caller.workspace_id)]

    return await db.run(work, write=False)


@router.post("/invite", response_model=InvitedOut, summary="Invite a member")
async def invite_member(
    caller: CurrentCaller, body: Annotated[Invite, Depends(json_body(Invite))], db: Db
) -> InvitedOut:
    service.require_admin(caller)

    def work(session: Session) -> InvitedOut:
        service.add_member(session, caller.workspace_id, body.email, body.name, body.role or "USER")
        return InvitedOut()

    return await db.run(work)


@router.patch("/role", response_model=MembershipOut, summary="Change a member's role")
async def change_role(
    caller: CurrentCaller, body: Annotated[ChangeRole, Depends(json_body(ChangeRole))], db: Db
) -> MembershipOut:
    service.require_admin(caller)

    def work(session: Session) -> MembershipOut:
        membership, user = service.change_role(
            session, caller, body.role, membership_id=body.membership_id, user_id=body.user_id
        )
        return MembershipOut.of(membership, user)

    return await db.run(work)
