"""Units of work: how transactions end."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from laneway.kit.db import Database, make_engine


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
