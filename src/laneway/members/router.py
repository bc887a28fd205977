"""The v1 member routes, served under /api/v1/users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from laneway.auth.dependencies import CurrentAdmin, CurrentCaller
from laneway.idempotency.dependencies import Idempotency
from laneway.idempotency.service import once
from laneway.kit.body import json_body
from laneway.kit.openapi import LanewayRoute
from laneway.kit.web import Db, json_answer
from laneway.members import service
from laneway.members.schemas import ChangeRole, Invite, InvitedOut, MembershipOut

router = APIRouter(route_class=LanewayRoute)
MembershipList = TypeAdapter(list[MembershipOut])


@router.get("", response_model=list[MembershipOut], summary="List members")
@router.get("/members", response_model=list[MembershipOut], summary="List members (alias of GET /users)")
async def list_members(caller: CurrentCaller, db: Db) -> Response:
    def work(session: Session) -> str:
        members = service.list_members(session, caller.workspace_id)
        return MembershipList.dump_json([MembershipOut.of(m, u) for m, u in members]).decode()

    return json_answer(await db.run(work, write=False))


@router.post("/invite", response_model=InvitedOut, summary="Invite a member (ADMIN only)")
async def invite_member(
    caller: CurrentAdmin,
    body: Annotated[Invite, Depends(json_body(Invite))],
    idempotency: Idempotency,
    db: Db,
) -> Response:

    def invite(session: Session) -> InvitedOut:
        service.add_member(session, caller.workspace_id, body.email, body.name, body.role or "USER")
        return InvitedOut()

    def work(session: Session) -> str:
        return once(session, caller.workspace_id, idempotency, lambda: invite(session))

    return json_answer(await db.run(work))


@router.patch("/role", response_model=MembershipOut, summary="Change a member's role (ADMIN only)")
async def change_role(
    caller: CurrentAdmin, body: Annotated[ChangeRole, Depends(json_body(ChangeRole))], db: Db
) -> Response:

    def work(session: Session) -> str:
        membership, user = service.change_role(
            session, caller, body.role, membership_id=body.membership_id, user_id=body.user_id
        )
        return MembershipOut.of(membership, user).model_dump_json()

    return json_answer(await db.run(work))
