"""Operator commands on the outbox: list, retry, purge."""

from __future__ import annotations

import argparse
from datetime import timedelta

from sqlalchemy.orm import Session

from laneway.cli.records import Output
from laneway.kit.errors import BadRequest
from laneway.kit.time import render, utcnow
from laneway.outbox import repository as outbox
from laneway.outbox.models import DEAD, DONE, OutboxMessage


def _outbox_row(row: OutboxMessage) -> Output:
    return {
        "id": row.id, "workspaceId": row.workspace_id, "kind": row.kind, "status": row.status,
        "attempts": row.attempts, "createdAt": render(row.created_at),
        "nextAttemptAt": render(row.next_attempt_at),
        "deliveredAt": render(row.delivered_at) if row.delivered_at else None, "lastError": row.last_error,
    }  # fmt: skip


def cmd_outbox_list(session: Session, args: argparse.Namespace) -> Output:
    rows = outbox.listing(session, status=args.status, limit=args.limit)
    return {"rows": [_outbox_row(r) for r in rows]}


def cmd_outbox_retry(session: Session, args: argparse.Namespace) -> Output:
    if not args.ids and not args.all_dead:
        raise BadRequest("name the rows to retry, or pass --all-dead")
    return {"retried": outbox.retry(session, None if args.all_dead else args.ids, utcnow())}


def cmd_outbox_purge(session: Session, args: argparse.Namespace) -> Output:
    statuses = [DONE, DEAD] if args.include_dead else [DONE]
    before = utcnow() - timedelta(days=args.older_than_days)
    return {"purged": outbox.purge(session, before, statuses)}
