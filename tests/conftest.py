"""Fixtures: every HTTP test runs on SQLite and on PostgreSQL, schema built by the migrations.

PostgreSQL tests get a database of their own (created here, dropped at the end). Outside CI
they are skipped with a message when no server answers on 127.0.0.1:5432; in CI (CI=true)
a missing server fails them.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laneway.app import create_app
from laneway.auth.service import create_key
from laneway.config import Settings
from laneway.kit.db import Database, make_engine
from laneway.kit.migrate import upgrade
from laneway.members.service import add_member
from laneway.workspaces.service import create_workspace

PG_HOST = os.environ.get("LANEWAY_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("LANEWAY_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("LANEWAY_TEST_PG_USER", "postgres")


def _admin_dsn(dbname: str = "postgres") -> str:
    return f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname={dbname}"


def _postgres_or_skip() -> None:
    try:
        with psycopg.connect(_admin_dsn(), connect_timeout=3):
            return
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but {PG_HOST}:{PG_PORT} does not answer: {exc}")
        pytest.skip(f"no PostgreSQL on {PG_HOST}:{PG_PORT} ({exc}); these tests run in CI")


def pytest_report_header(config: pytest.Config) -> str:
    try:
        with psycopg.connect(_admin_dsn(), connect_timeout=3):
            postgres = f"PostgreSQL at {PG_HOST}:{PG_PORT} (a fresh database for this run)"
    except psycopg.OperationalError:
        postgres = f"PostgreSQL at {PG_HOST}:{PG_PORT} unreachable: " + (
            "its tests will FAIL (CI=true)" if os.environ.get("CI") else "its tests will be skipped"
        )
    return f"databases: SQLite (a temporary file) and {postgres}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'laneway.db'}"
        return
    _postgres_or_skip()
    name = f"laneway_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    db = Database(make_engine(database_url))
    upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # Delivery is tested with workers of its own (tests/outbox); the shared app only queues.
    # Its clock jobs are off too: they would run statements in the middle of tests that count
    # them (tests/threads/test_api.py runs the snooze clock in an app of its own).
    return Settings(
        database_url=database_url,
        smtp_url=None,
        slack_api_url="http://127.0.0.1:9/api",
        run_worker=False,
        run_clock_jobs=False,
    )


@pytest.fixture(scope="session")
def app(settings: Settings, database: Database) -> FastAPI:
    return create_app(settings, database)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@dataclass
class Member:
    user_id: str
    membership_id: str
    email: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@dataclass
class WorkspaceFixture:
    id: str
    admin: Member
    database: Database

    def add_member(self, email: str, role: str = "USER") -> Member:
        with self.database.unit_of_work() as session:
            user, membership = add_member(session, self.id, email, None, role)
            _, clear = create_key(session, membership)
        return Member(user.id, membership.id, user.email, clear)

    def count(self, model: type, **where: object) -> int:
        """Rows of `model` in this workspace (optionally filtered by column values)."""
        with self.database.unit_of_work(write=False) as session:
            query = select(func.count()).select_from(model).where(model.workspace_id == self.id)  # type: ignore[attr-defined]
            for column, value in where.items():
                query = query.where(getattr(model, column) == value)
            return int(session.scalar(query) or 0)


def make_workspace(database: Database, **options: object) -> WorkspaceFixture:
    tag = uuid.uuid4().hex[:8]
    with database.unit_of_work() as session:
        made = create_workspace(
            session,
            name=f"Test {tag}",
            admin_email=f"admin-{tag}@laneway.example",
            admin_name="Admin",
            **options,
        )  # type: ignore[arg-type]
    admin = Member(made.admin.id, made.membership.id, made.admin.email, made.clear_key)
    return WorkspaceFixture(made.workspace.id, admin, database)


@pytest.fixture
def workspace(database: Database) -> WorkspaceFixture:
    return make_workspace(database, slack_channel="C0123", title_quota=5)


@pytest.fixture
def other_workspace(database: Database) -> WorkspaceFixture:
    return make_workspace(database)


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The app behind a real uvicorn server on a free port, for tests that need real concurrency."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path
