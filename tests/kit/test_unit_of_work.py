"""Units of work: how transactions end."""

from __future__ import annotations

import threading
from collections.abc import Callable

import anyio
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from laneway.kit.db import Database, make_engine
from tests.conftest import make_workspace


def test_reads_keep_the_statements_postgres_prepared(database: Database) -> None:
    # psycopg prepares a statement on its sixth run on a connection, and forgets every prepared
    # statement at a ROLLBACK: reads that rolled back were parsed and planned every time.
    if database.dialect != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    # A database of one pooled connection, so that every unit of work below runs on it.
    single = Database(make_engine(database.engine.url, pool_size=1))
    statement = text("SELECT count(*) FROM workspaces WHERE id = :id")
    prepared: set[bytes] = set()
    try:
        for _ in range(12):
            with single.unit_of_work(write=False) as session:
                session.execute(statement, {"id": "none"})
                connection = session.connection().connection.dbapi_connection
                prepared |= {query for query, _ in connection._prepared._names}  # type: ignore[union-attr]
    finally:
        single.dispose()
    assert b"SELECT count(*) FROM workspaces WHERE id = $1" in prepared


def test_a_unit_of_work_the_database_ends_for_a_deadlock_runs_again(database: Database) -> None:
    """Two requests that lock two rows in opposite orders: PostgreSQL ends one of them to break
    the deadlock, and it runs again instead of answering 500. On SQLite, whose writers go one at
    a time, they cannot deadlock: both simply run once."""
    first, second = make_workspace(database).id, make_workspace(database).id
    touch = text("UPDATE workspaces SET name = name WHERE id = :id")
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts: list[str] = []

    def work(mine: str, theirs: str) -> Callable[[Session], str]:
        def locks(session: Session) -> str:
            attempts.append(mine)
            session.execute(touch, {"id": mine})
            if database.dialect == "postgresql" and attempts.count(mine) == 1:
                both_hold_one.wait()
            session.execute(touch, {"id": theirs})
            return mine

        return locks

    done: list[str] = []
    runs = [
        threading.Thread(target=lambda a=a, b=b: done.append(anyio.run(database.run, work(a, b))))
        for a, b in ((first, second), (second, first))
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert sorted(done) == sorted([first, second])
    assert len(attempts) == (3 if database.dialect == "postgresql" else 2)
