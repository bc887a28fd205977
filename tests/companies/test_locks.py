"""Domain locks: on PostgreSQL every domain of a batch is held, in one statement; SQLite, which
runs one writer at a time, takes none."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from laneway.companies.repository import lock_domains
from tests.conftest import WorkspaceFixture

DOMAINS = ["b.example", "a.example", "c.example", "a.example"]


@pytest.mark.parametrize(("exclusive", "mode"), [(False, "ShareLock"), (True, "ExclusiveLock")])
def test_each_domain_is_locked_until_the_transaction_ends_in_one_statement(
    workspace: WorkspaceFixture, exclusive: bool, mode: str
) -> None:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    on_postgresql = workspace.database.dialect == "postgresql"
    held = text("SELECT mode FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
    with workspace.database.unit_of_work() as session:
        connection = session.connection()
        event.listen(connection, "before_cursor_execute", record)
        lock_domains(session, workspace.id, DOMAINS, exclusive=exclusive)
        event.remove(connection, "before_cursor_execute", record)
        if on_postgresql:
            assert sorted(session.scalars(held)) == [mode] * 3
    assert len(statements) == (1 if on_postgresql else 0)
    if on_postgresql:
        with workspace.database.unit_of_work() as session:
            assert list(session.scalars(held)) == []
