"""SQLite writers of several processes queue on a file lock instead of polling SQLite's lock."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from laneway.kit.db import Database, make_engine, writer_queue


def _databases(path: Path, n: int) -> list[Database]:
    # No busy timeout at all: a writer that finds the database locked fails at once, so any
    # overlap of two write transactions shows up as an error.
    return [Database(make_engine(f"sqlite:///{path}", sqlite_busy_timeout_ms=0)) for _ in range(n)]


def _hammer(databases: list[Database], writes_each: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def writer(database: Database) -> None:
        for _ in range(writes_each):
            try:
                with database.unit_of_work() as session:
                    n = session.execute(text("SELECT n FROM tally")).scalar_one()
                    time.sleep(0.001)  # hold the write lock a while, as a real write does
                    session.execute(text("UPDATE tally SET n = :n"), {"n": n + 1})
            except OperationalError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(db,)) for db in databases for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _tally(path: Path) -> tuple[Database, int]:
    setup = Database(make_engine(f"sqlite:///{path}"))
    with setup.unit_of_work() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS tally (n INTEGER NOT NULL)"))
        session.execute(text("DELETE FROM tally"))
        session.execute(text("INSERT INTO tally VALUES (0)"))
    return setup, 0


def _count(setup: Database) -> int:
    with setup.unit_of_work(write=False) as session:
        return int(session.execute(text("SELECT n FROM tally")).scalar_one())


def test_writers_of_separate_engines_take_turns(tmp_path: Path) -> None:
    # Each Database stands for a server process: its own engine, pool and lock file handle.
    path = tmp_path / "queue.db"
    setup, _ = _tally(path)
    databases = _databases(path, 3)
    assert _hammer(databases, 25) == []
    assert _count(setup) == 3 * 2 * 25
    assert (tmp_path / "queue.db-writer.lock").exists()


def test_without_the_queue_the_same_writers_collide(tmp_path: Path) -> None:
    # The check above can fail: with the queue switched off, the same load meets SQLITE_BUSY.
    path = tmp_path / "noqueue.db"
    setup, _ = _tally(path)
    databases = _databases(path, 3)
    for database in databases:
        database._writer_queue = None
    errors = _hammer(databases, 25)
    assert errors
    assert all("locked" in str(e) for e in errors)
    assert _count(setup) == 3 * 2 * 25 - len(errors)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_databases_have_no_queue(url: str) -> None:
    assert writer_queue(create_engine(url)) is None


def test_a_lock_file_that_cannot_be_made_leaves_sqlite_to_poll(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    setup, _ = _tally(path)
    queue = setup._writer_queue
    assert queue is not None
    queue.path = str(tmp_path / "missing-directory" / "x-writer.lock")
    queue._pid = 0  # open again
    with setup.unit_of_work() as session:
        session.execute(text("UPDATE tally SET n = 7"))
    assert _count(setup) == 7
