"""Every query on the outbox: claiming due rows under a lease, and settling them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from laneway.kit.ids import new_id
from laneway.outbox.models import DEAD, DONE, PENDING, OutboxMessage


def _due(now: datetime) -> list[object]:
    return [
        OutboxMessage.status == PENDING,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
    ]


def claim(
    session: Session, now: datetime, *, limit: int, lease: timedelta, skip_kinds: Sequence[str] = ()
) -> list[OutboxMessage]:
    """Lease up to `limit` due rows to one worker. On PostgreSQL, FOR UPDATE SKIP LOCKED lets
    concurrent workers take disjoint rows; SQLite write transactions run one at a time, so
    the lease alone keeps two workers off one row."""
    due = select(OutboxMessage.id).where(*_due(now))  # type: ignore[arg-type]
    if skip_kinds:
        due = due.where(OutboxMessage.kind.notin_(list(skip_kinds)))
    due = due.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    token = new_id()
    claimed = session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(locked_until=now + lease, claim_token=token, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    return sorted(claimed, key=lambda row: (row.next_attempt_at, row.id))


def _mine(row_id: str, token: str) -> object:
    return and_(OutboxMessage.id == row_id, OutboxMessage.claim_token == token)


def mark_done(session: Session, row_id: str, token: str, now: datetime) -> bool:
    """Settle a delivered row; False when the lease was lost to another worker meanwhile."""
    done = session.execute(
        update(OutboxMessage)
        .where(_mine(row_id, token))  # type: ignore[arg-type]
        .values(status=DONE, delivered_at=now, locked_until=None, claim_token=None, last_error=None)
        .returning(OutboxMessage.id)
    ).first()
    return done is not None


def mark_failed(session: Session, row_id: str, token: str, error: str, retry_at: datetime | None) -> bool:
    """Record a failed attempt: retried at `retry_at`, or dead when that is None."""
    values: dict[str, object] = {"locked_until": None, "claim_token": None, "last_error": error[:4000]}
    if retry_at is None:
        values["status"] = DEAD
    else:
        values["next_attempt_at"] = retry_at
    failed = session.execute(
        update(OutboxMessage).where(_mine(row_id, token)).values(**values).returning(OutboxMessage.id)  # type: ignore[arg-type]
    ).first()
    return failed is not None


def listing(session: Session, *, status: str | None, limit: int) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)
    )
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(session.scalars(query))


def retry(session: Session, row_ids: Sequence[str] | None, now: datetime) -> int:
    """Give dead rows (these, or all) a fresh start."""
    query = update(OutboxMessage).where(OutboxMessage.status == DEAD)
    if row_ids is not None:
        query = query.where(OutboxMessage.id.in_(list(row_ids)))
    result = session.execute(
        query.values(
            status=PENDING, attempts=0, next_attempt_at=now, locked_until=None, claim_token=None
        ).returning(OutboxMessage.id)
    )
    return len(result.all())


def purge(session: Session, before: datetime, statuses: Sequence[str]) -> int:
    """Delete settled rows created before `before`."""
    result = session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.status.in_(list(statuses)), OutboxMessage.created_at < before)
        .returning(OutboxMessage.id)
    )
    return len(result.all())


def counts(session: Session) -> list[tuple[str, str, int]]:
    """(kind, status, rows) for every kind and status present."""
    rows = session.execute(
        select(OutboxMessage.kind, OutboxMessage.status, func.count()).group_by(
            OutboxMessage.kind, OutboxMessage.status
        )
    )
    return [(kind, status, int(n)) for kind, status, n in rows]


def oldest_due(session: Session, now: datetime) -> datetime | None:
    """When the longest-waiting due row became due."""
    return session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now
        )
    )
