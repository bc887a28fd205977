"""Domain locks: on PostgreSQL every domain of a batch is held, in one statement; SQLite, which
runs one writer at a time, takes none."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from laneway.companies import repository as companies
from laneway.companies.repository import DOMAIN_LOCK_BUCKETS, _bucket, lock_domains
from laneway.companies.service import create_company
from tests.conftest import WorkspaceFixture

DOMAINS = ["b.example", "a.example", "c.example", "a.example"]  # three domains, in up to three buckets


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
            assert sorted(session.scalars(held)) == [mode] * len({_bucket(d) for d in DOMAINS})
    assert len(statements) == (1 if on_postgresql else 0)
    if on_postgresql:
        with workspace.database.unit_of_work() as session:
            assert list(session.scalars(held)) == []


def test_a_batch_of_twenty_thousand_domains_holds_a_bounded_number_of_locks(
    workspace: WorkspaceFixture,
) -> None:
    """PostgreSQL's lock table holds 64 locks a connection by default: one lock per domain ran
    an import's batch out of shared memory."""
    domains = [f"d{n}.example" for n in range(20_000)]
    with workspace.database.unit_of_work() as session:
        lock_domains(session, workspace.id, domains, exclusive=False)
        if workspace.database.dialect == "postgresql":
            held = text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
            assert session.scalar(held) == DOMAIN_LOCK_BUCKETS


def test_two_transactions_linking_to_one_company_do_not_wait_for_each_other(
    workspace: WorkspaceFixture,
) -> None:
    """Linkers hold the company FOR KEY SHARE, which only a delete (FOR UPDATE) waits for; a
    stronger lock made every linker wait for every other, and an import and the API deadlocked."""
    with workspace.database.unit_of_work() as session:
        company_id = create_company(session, workspace.id, name="Shared", domains=["shared.example"]).id
    on_postgresql = workspace.database.dialect == "postgresql"
    with workspace.database.unit_of_work() as first:
        assert companies.get(first, workspace.id, company_id, lock="key share") is not None
        with workspace.database.unit_of_work(write=False) as second:
            if on_postgresql:
                second.execute(text("SET LOCAL lock_timeout = '2s'"))  # fails here, not hangs
            assert companies.get(second, workspace.id, company_id, lock="key share") is not None
            assert companies.first_ids_with_domains(second, workspace.id, ["shared.example"]) == {
                "shared.example": company_id
            }
