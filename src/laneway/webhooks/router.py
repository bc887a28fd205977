"""Webhook endpoints of a workspace: admins register, list and delete them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from sqlalchemy.orm import Session

from laneway.auth.dependencies import CurrentAdmin
from laneway.idempotency.dependencies import Idempotency
from laneway.idempotency.service import once
from laneway.kit.body import json_body
from laneway.kit.openapi import LanewayRoute
from laneway.kit.web import Db, json_answer
from laneway.webhooks import repository, service
from laneway.webhooks.schemas import CreateWebhook, WebhookCreatedOut, WebhookListOut, WebhookOut

router = APIRouter(route_class=LanewayRoute)


@router.post("", response_model=WebhookCreatedOut, summary="Register a webhook endpoint")
async def create_webhook(
    caller: CurrentAdmin,
    body: Annotated[CreateWebhook, Depends(json_body(CreateWebhook))],
    idempotency: Idempotency,
    db: Db,
) -> Response:

    def create(session: Session) -> WebhookCreatedOut:
        return WebhookCreatedOut.model_validate(service.create_webhook(session, caller.workspace_id, body))

    def work(session: Session) -> str:
        return once(session, caller.workspace_id, idempotency, lambda: create(session))

    return json_answer(await db.run(work))


@router.get("", response_model=WebhookListOut, summary="List webhook endpoints")
async def list_webhooks(caller: CurrentAdmin, db: Db) -> Response:

    def work(session: Session) -> str:
        hooks = repository.active(session, caller.workspace_id)
        return WebhookListOut(webhooks=[WebhookOut.model_validate(h) for h in hooks]).model_dump_json()

    return json_answer(await db.run(work, write=False))


@router.delete("/{webhook_id}", summary="Delete a webhook endpoint")
async def delete_webhook(webhook_id: str, caller: CurrentAdmin, db: Db) -> Response:

    def work(session: Session) -> str:
        service.delete_webhook(session, caller.workspace_id, webhook_id)
        return '{"success":true,"message":"Webhook deleted","isDeleted":true}'

    return json_answer(await db.run(work))
