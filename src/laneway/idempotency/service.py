"""Idempotency-Key: a retried POST gets the first answer, and the work is done once.

The key row is written in the same transaction as the work it guards. A concurrent retry's
insert of the same key waits for that transaction (PostgreSQL) or its turn at the write lock
(SQLite); when the first commits, the retry finds the stored answer instead of working again,
and when the first fails, nothing was stored and the retry does the work.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from laneway.idempotency.models import IdempotencyKey
from laneway.kit.errors import BadRequest, Conflict, Issue
from laneway.kit.ids import new_id
from laneway.kit.time import utcnow
from laneway.kit.upsert import insert_if_absent

HEADER = "Idempotency-Key"
KEEP = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    key: str
    fingerprint: str  # what was asked: method, path and the body's JSON, canonically


def parse(key: str | None, member: str, method: str, path: str, body: Any) -> IdempotentRequest | None:
    """The request's idempotency key, or None when it sent none. Who asks is part of what was
    asked: another member reusing a key gets a 409, not the first member's answer."""
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isprintable() or not key.isascii():
        raise BadRequest(
            f"{HEADER} must be 1 to 255 printable ASCII characters", [Issue([HEADER], "invalid")]
        )
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(f"{member} {method} {path}\n{canonical}".encode()).hexdigest()
    return IdempotentRequest(key, digest)


def once(
    session: Session,
    workspace_id: str,
    request: IdempotentRequest | None,
    work: Callable[[], BaseModel | str],
) -> str:
    """The JSON answer of `work()` (a response model, or its JSON already), done at most once
    per key: a retry gets the stored answer."""
    if request is None:
        return _json(work())
    now = utcnow()
    fresh = insert_if_absent(
        session,
        IdempotencyKey,
        ["workspace_id", "key"],
        {"id": new_id(), "workspace_id": workspace_id, "key": request.key,
         "request_hash": request.fingerprint, "created_at": now},
    )  # fmt: skip
    if not fresh:
        stored = session.execute(
            select(IdempotencyKey.request_hash, IdempotencyKey.response_body).where(
                IdempotencyKey.workspace_id == workspace_id, IdempotencyKey.key == request.key
            )
        ).one()
        if stored.request_hash != request.fingerprint:
            raise Conflict(f"This {HEADER} was already used for a different request")
        assert stored.response_body is not None, "a stored key always has its answer"
        return str(stored.response_body)
    answer = _json(work())
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.workspace_id == workspace_id, IdempotencyKey.key == request.key)
        .values(response_body=answer)
    )
    return answer


def _json(answer: BaseModel | str) -> str:
    return answer if isinstance(answer, str) else answer.model_dump_json()


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Forget keys older than the retention period (at least 24 hours are promised)."""
    cutoff = (now or utcnow()) - KEEP
    result = session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff).returning(IdempotencyKey.id)
    )
    return len(result.all())
