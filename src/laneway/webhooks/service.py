"""Webhooks: registering endpoints, and writing each event to the outbox for each of them."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from fnmatch import fnmatchcase
from typing import Any

from sqlalchemy.orm import Session

from laneway.kit.errors import NotFound
from laneway.kit.ids import new_id
from laneway.kit.time import render, utcnow
from laneway.outbox.service import WEBHOOK, enqueue
from laneway.webhooks import repository
from laneway.webhooks.models import Webhook
from laneway.webhooks.schemas import CreateWebhook


def create_webhook(session: Session, workspace_id: str, data: CreateWebhook) -> Webhook:
    """Register an endpoint; its secret signs every delivery."""
    webhook = Webhook(
        workspace_id=workspace_id,
        url=data.url,
        events=list(dict.fromkeys(data.events)),
        secret="whsec_" + secrets.token_urlsafe(32),
    )
    session.add(webhook)
    session.flush()
    session.info.pop("active_webhooks", None)
    return webhook


def delete_webhook(session: Session, workspace_id: str, webhook_id: str) -> None:
    """Stop deliveries to an endpoint (rows already queued still go out)."""
    webhook = repository.get(session, workspace_id, webhook_id)
    if webhook is None:
        raise NotFound(f"No webhook with id {webhook_id}")
    webhook.is_deleted = True
    session.info.pop("active_webhooks", None)


def listeners(session: Session, workspace_id: str, event_type: str) -> list[Webhook]:
    """The workspace's endpoints that listen to `event_type` (one query per transaction)."""
    cache = session.info.setdefault("active_webhooks", {})
    if workspace_id not in cache:
        cache[workspace_id] = repository.active(session, workspace_id)
    return [h for h in cache[workspace_id] if any(fnmatchcase(event_type, p) for p in h.events)]


def emit(
    session: Session, workspace_id: str, event_type: str, data: dict[str, Any] | Callable[[], dict[str, Any]]
) -> None:
    """Queue `event_type` for every endpoint of the workspace that listens to it, in the
    caller's transaction. The event's id is the same for every endpoint and every retry.
    `data` may be a function that makes it: it is called only when somebody listens."""
    hooks = listeners(session, workspace_id, event_type)
    if not hooks:
        return
    if callable(data):
        data = data()
    event = {"id": new_id(), "type": event_type, "createdAt": render(utcnow()), "workspaceId": workspace_id,
             "data": data}  # fmt: skip
    for hook in hooks:
        enqueue(session, workspace_id, WEBHOOK, {"webhookId": hook.id, "event": event})
