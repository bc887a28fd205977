"""Writing side effects into the outbox, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from laneway.outbox.models import OutboxMessage

WRITTEN = "outbox_written"
SLACK_THREAD_CREATED = "slack.thread_created"
EMAIL_THREAD_RECEIVED = "email.thread_received"
SLACK_THREAD_UPDATED = "slack.thread_updated"
EMAIL_THREAD_UPDATED = "email.thread_updated"
SLACK_REPLY = "slack.reply"
EMAIL_REPLY = "email.reply"
WEBHOOK = "webhook"


def enqueue(session: Session, workspace_id: str, kind: str, payload: dict[str, Any]) -> OutboxMessage:
    """Add one delivery to the outbox; it commits (or not) with everything else."""
    message = OutboxMessage(workspace_id=workspace_id, kind=kind, payload=payload)
    session.add(message)
    session.info[WRITTEN] = True  # the worker in this process is woken once this commits
    return message
