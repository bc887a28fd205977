"""Table statistics, which both databases' query planners choose their plans by.

Without them SQLite takes an equality on the first column of an index (`workspace_id = ?`)
to match about ten rows, and walks a whole workspace where an IN list of primary keys would
have read fifty. PostgreSQL's autovacuum keeps them, but only now and then, and never for
small tables; a bulk import outruns it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

# Rows SQLite samples per index: enough to tell a selective index from an unselective one,
# and cheap (milliseconds) however large the table.
SQLITE_ANALYSIS_LIMIT = 1000
IMPORTED_TABLES = ("contacts", "threads", "thread_projects", "thread_issues")


def refresh(session: Session, tables: Sequence[str] = ()) -> None:
    """Gather fresh statistics for `tables` (every table when none are named), in the caller's
    transaction (a write transaction on SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"))
        for table in tables or ("",):
            session.execute(text(f"ANALYZE {table}".strip()))
        return
    session.execute(text(f"ANALYZE {', '.join(tables)}".strip()))


def after_bulk_load(engine: Engine, tables: Sequence[str] = IMPORTED_TABLES) -> None:
    """After an import: statistics, and on PostgreSQL a VACUUM, whose visibility map lets deep
    pages (`skip=900000`) be read from the index alone instead of visiting every row."""
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            refresh(Session(bind=connection), tables)
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM (ANALYZE) {', '.join(tables)}"))
