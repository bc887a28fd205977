"""Exact thread counts per workspace and scope, changed in the transactions that change them."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, func, select
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


def _add_to_shard(insert: Any) -> Any:
    statement = insert(ThreadCount).values(
        workspace_id=bindparam("workspace_id"),
        scope=bindparam("scope"),
        shard=bindparam("shard"),
        n=bindparam("n"),
    )
    return statement.on_conflict_do_update(
        index_elements=["workspace_id", "scope", "shard"], set_={"n": ThreadCount.n + statement.excluded.n}
    )


# Built once per dialect: every thread create runs it.
_ADD_TO_SHARD = {"postgresql": _add_to_shard(postgresql.insert), "sqlite": _add_to_shard(sqlite.insert)}


def bump(session: Session, workspace_id: str, deltas: Mapping[str, int]) -> None:
    """Add `deltas` (scope -> change) to the workspace's counts, on one random shard."""
    shard = random.randrange(SHARDS)
    # Sorted: every writer locks shard rows in one order (executemany keeps it).
    changes = [
        {"workspace_id": workspace_id, "scope": scope, "shard": shard, "n": n}
        for scope, n in sorted(deltas.items())
        if n
    ]
    if changes:
        connection = session.connection()
        connection.execute(_ADD_TO_SHARD[connection.dialect.name], changes)


_TOTAL = select(func.coalesce(func.sum(ThreadCount.n), 0)).where(
    ThreadCount.workspace_id == bindparam("workspace_id"), ThreadCount.scope == bindparam("scope")
)  # built once: every list page runs it


def total(session: Session, workspace_id: str, scope: str) -> int:
    """The count of one scope: the sum of its shards."""
    found = session.connection().scalar(_TOTAL, {"workspace_id": workspace_id, "scope": scope})
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
