"""Table statistics: refreshed on demand, and after a bulk load, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, text

from laneway.kit import tablestats
from tests.conftest import WorkspaceFixture
from tests.threads.helpers import create


@contextmanager
def statements(workspace: WorkspaceFixture) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    engine = workspace.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _forget_sqlite_statistics(workspace: WorkspaceFixture) -> None:
    with workspace.database.unit_of_work() as session:
        session.execute(text("ANALYZE sqlite_schema"))  # makes sure sqlite_stat1 exists
        session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'threads'"))


def _sqlite_has_thread_statistics(workspace: WorkspaceFixture) -> bool:
    with workspace.database.unit_of_work(write=False) as session:
        return bool(session.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'threads'")).scalar())


def _a_thread_and_no_statistics(client: TestClient, workspace: WorkspaceFixture) -> bool:
    """A thread to analyse and, on SQLite, no statistics of it yet; True on SQLite."""
    create(client, workspace.admin)
    sqlite = workspace.database.dialect == "sqlite"
    if sqlite:
        _forget_sqlite_statistics(workspace)
    return sqlite


def test_refresh_gathers_statistics_for_the_tables_named(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    sqlite = _a_thread_and_no_statistics(client, workspace)
    with statements(workspace) as sent, workspace.database.unit_of_work() as session:
        tablestats.refresh(session, ["threads"])
    assert "ANALYZE threads" in sent
    if sqlite:
        assert _sqlite_has_thread_statistics(workspace)


def test_after_bulk_load_analyses_and_on_postgresql_vacuums(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    sqlite = _a_thread_and_no_statistics(client, workspace)
    with statements(workspace) as sent:
        tablestats.after_bulk_load(workspace.database.engine)
    if sqlite:
        assert _sqlite_has_thread_statistics(workspace)
    else:
        assert [s for s in sent if s.startswith("VACUUM (ANALYZE) ")] == [
            "VACUUM (ANALYZE) contacts, threads, thread_projects, thread_issues"
        ]
