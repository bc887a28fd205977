"""The v1 contact routes, under /api/v1/contacts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from laneway.auth.dependencies import CurrentCaller, CurrentWriter
from laneway.contacts import service
from laneway.contacts.schemas import ContactListOut, ContactObjectOut, CreateContact, UpdateContact
from laneway.idempotency.dependencies import Idempotency
from laneway.idempotency.service import once
from laneway.kit.body import json_body
from laneway.kit.openapi import LanewayRoute
from laneway.kit.pagination import Paging, next_page
from laneway.kit.schema import DeletedOut
from laneway.kit.web import Db, json_answer

router = APIRouter(route_class=LanewayRoute)


@router.get("", response_model=ContactListOut, summary="List contacts")
async def list_contacts(
    caller: CurrentCaller,
    page: Paging,
    db: Db,
    email: Annotated[str | None, Query(description="only the contact with this address")] = None,
) -> Response:
    key = service.email_filter(email)

    def work(session: Session) -> str:
        found = service.list_contacts(session, caller.workspace_id, page, key)
        return ContactListOut(
            contacts=[ContactObjectOut.of(c.contact, c.company) for c in found.contacts],
            count=len(found.contacts),
            total=found.total,
            has_more=found.has_more,
            next_page=next_page(page, found.has_more, found.last),
        ).model_dump_json()

    return json_answer(await db.run(work, write=False))


@router.get("/{id_or_email}", response_model=ContactObjectOut, summary="Get contact by id or email")
async def get_contact(id_or_email: str, caller: CurrentCaller, db: Db) -> Response:
    def work(session: Session) -> str:
        found = service.find_contact(session, caller.workspace_id, id_or_email)
        return ContactObjectOut.of(found.contact, found.company).model_dump_json()

    return json_answer(await db.run(work, write=False))


@router.post("", response_model=ContactObjectOut, summary="Create contact")
async def create_contact(
    caller: CurrentWriter,
    body: Annotated[CreateContact, Depends(json_body(CreateContact))],
    idempotency: Idempotency,
    db: Db,
) -> Response:
    def create(session: Session) -> ContactObjectOut:
        made = service.create_contact(session, caller.workspace_id, body)
        return ContactObjectOut.of(made.contact, made.company)

    def work(session: Session) -> str:
        return once(session, caller.workspace_id, idempotency, lambda: create(session))

    return json_answer(await db.run(work))


@router.patch("/{contact_id}", response_model=ContactObjectOut, summary="Update contact")
async def update_contact(
    contact_id: str,
    caller: CurrentWriter,
    body: Annotated[UpdateContact, Depends(json_body(UpdateContact))],
    db: Db,
) -> Response:
    def work(session: Session) -> str:
        changed = service.update_contact(session, caller.workspace_id, contact_id, body)
        return ContactObjectOut.of(changed.contact, changed.company).model_dump_json()

    return json_answer(await db.run(work))


@router.delete("/{contact_id}", response_model=DeletedOut, summary="Delete contact (soft)")
async def delete_contact(contact_id: str, caller: CurrentWriter, db: Db) -> Response:
    def work(session: Session) -> str:
        service.delete_contact(session, caller.workspace_id, contact_id)
        return DeletedOut(success=True, message="Contact deleted", is_deleted=True).model_dump_json()

    return json_answer(await db.run(work))
