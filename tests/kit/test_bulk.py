"""insert_columns: rows given column by column, in one executemany."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from laneway.kit.bulk import insert_columns
from laneway.kit.db import Database
from laneway.kit.ids import new_ids
from laneway.tags.models import Tag
from tests.conftest import WorkspaceFixture


def test_columns_become_rows_and_one_list_may_fill_several_columns(workspace: WorkspaceFixture) -> None:
    ids = new_ids(3)
    times = [datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n) for n in range(3)]
    columns = {
        "id": ids,
        "workspace_id": [workspace.id] * 3,
        "name": ["alpha", "beta", "gamma"],
        "color": [None, "#ff0000", None],
        "created_at": times,
        "updated_at": times,  # the same list for two columns: bound once, written to both
    }
    with workspace.database.unit_of_work() as session:
        insert_columns(session.connection(), Tag, columns)
    with workspace.database.unit_of_work(write=False) as session:
        rows = session.execute(
            select(Tag.id, Tag.name, Tag.color, Tag.created_at, Tag.updated_at).where(Tag.id.in_(ids))
        ).all()
    assert sorted(rows) == sorted(
        zip(ids, ["alpha", "beta", "gamma"], [None, "#ff0000", None], times, times, strict=True)
    )


def test_columns_of_unequal_length_are_refused(database: Database) -> None:
    with database.unit_of_work() as session, pytest.raises(ValueError, match="unequal"):
        insert_columns(session.connection(), Tag, {"id": ["a", "b"], "name": ["only one"]})


def test_no_rows_is_no_statement(database: Database) -> None:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    with database.unit_of_work() as session:
        connection = session.connection()
        event.listen(connection, "before_cursor_execute", record)
        insert_columns(connection, Tag, {"id": [], "name": []})
        event.remove(connection, "before_cursor_execute", record)
    assert statements == []
