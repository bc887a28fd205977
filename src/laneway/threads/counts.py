"""Exact thread counts per workspace and scope, changed in the transactions that change them."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from laneway.threads.models import ThreadCount

SHARDS = 8
ALL = "all"


def state_scope(state: str) -> str:
    return f"state:{state}"


def project_scope(project_id: str) -> str:
    return f"project:{project_id}"


def issue_scope(issue_id: str) -> str:
    return f"issue:{issue_id}"


def bump(session: Session, workspace_id: str, deltas: Mapping[str, int]) -> None:
    """Add `deltas` (scope -> change) to the workspace's counts, on one random shard."""
    changes = {scope: n for scope, n in sorted(deltas.items()) if n}
    if not changes:
        return
    shard = random.randrange(SHARDS)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for scope, n in changes.items():  # sorted: every writer locks shard rows in one order
        statement = insert(ThreadCount).values(workspace_id=workspace_id, scope=scope, shard=shard, n=n)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["workspace_id", "scope", "shard"],
                set_={"n": ThreadCount.n + statement.excluded.n},
            )
        )


def total(session: Session, workspace_id: str, scope: str) -> int:
    """The count of one scope: the sum of its shards."""
    found = session.scalar(
        select(func.coalesce(func.sum(ThreadCount.n), 0)).where(
            ThreadCount.workspace_id == workspace_id, ThreadCount.scope == scope
        )
    )
    return int(found or 0)


def for_new_thread(state: str, project_id: str | None, issue_id: str | None) -> Counter[str]:
    deltas: Counter[str] = Counter({ALL: 1, state_scope(state): 1})
    if project_id:
        deltas[project_scope(project_id)] += 1
    if issue_id:
        deltas[issue_scope(issue_id)] += 1
    return deltas


def for_state_change(before: str, after: str) -> Counter[str]:
    return Counter() if before == after else Counter({state_scope(before): -1, state_scope(after): 1})
