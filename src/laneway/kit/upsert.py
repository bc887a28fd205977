"""INSERT ... ON CONFLICT DO NOTHING on both databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_if_absent(
    session: Session, model: Any, conflict_columns: list[str], values: dict[str, Any]
) -> bool:
    """Insert one row unless a row with the same `conflict_columns` exists (or is being
    inserted by a concurrent transaction, which this waits for). True when inserted."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict_columns)
        .returning(*model.__table__.primary_key.columns)
    )
    return session.execute(statement).first() is not None


def insert_many_if_absent(
    session: Session, model: Any, conflict_columns: list[str], rows: list[dict[str, Any]]
) -> None:
    """`insert_if_absent` for many rows in one executemany (no RETURNING: compare ids after)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.connection().execute(
        insert(model.__table__).on_conflict_do_nothing(index_elements=conflict_columns), rows
    )
