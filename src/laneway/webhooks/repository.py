"""Every query on webhooks, scoped to one workspace."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from laneway.webhooks.models import Webhook

_ACTIVE = (  # built once: every write that emits an event runs it
    select(Webhook)
    .where(Webhook.workspace_id == bindparam("workspace_id"), Webhook.is_deleted.is_(False))
    .order_by(Webhook.created_at, Webhook.id)
)


def active(session: Session, workspace_id: str) -> list[Webhook]:
    return list(session.scalars(_ACTIVE, {"workspace_id": workspace_id}))


def get(session: Session, workspace_id: str, webhook_id: str) -> Webhook | None:
    return session.scalars(
        select(Webhook).where(
            Webhook.workspace_id == workspace_id, Webhook.id == webhook_id, Webhook.is_deleted.is_(False)
        )
    ).first()
