"""Delivery fixtures: real neighbours (SMTP server, HTTP receiver) and a worker driven the way
production drives it (Worker.run_once in a loop), with fast retries so every wait is short.

The suite shares one database per backend, so the worker may also deliver other tests' rows:
every assertion here looks at one workspace's rows and at requests meant for that workspace
(its Slack channel, its contacts' addresses, its webhook paths).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy import select

from laneway.config import Settings
from laneway.kit.db import Database
from laneway.outbox.mailer import EMAIL_KINDS
from laneway.outbox.models import PENDING, OutboxMessage
from laneway.outbox.worker import Worker
from laneway.webhooks.service import emit
from tests.conftest import WorkspaceFixture, make_workspace
from tests.outbox.neighbours import Receiver, SmtpServer

PUBLIC_URL = "https://laneway.test"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.start()
    yield server
    server.stop()


def rows(database: Database, workspace_id: str, kind: str | None = None) -> list[OutboxMessage]:
    """The workspace's outbox rows, oldest first."""
    with database.unit_of_work(write=False) as session:
        query = select(OutboxMessage).where(OutboxMessage.workspace_id == workspace_id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return list(session.scalars(query.order_by(OutboxMessage.created_at, OutboxMessage.id)))


def queue_events(ws: WorkspaceFixture, n: int) -> None:
    """n webhook events in one transaction, as a burst of changes would queue them."""
    with ws.database.unit_of_work() as session:
        for i in range(n):
            emit(session, ws.id, "thread.updated", {"n": i})


@dataclass
class Delivery:
    """A worker over the test database, pointed at the neighbours."""

    database: Database
    settings: Settings

    def run_until(self, done: Callable[[], bool], timeout: float = 10.0) -> None:
        """Run the worker (batch after batch, a short nap when idle) until `done()`; fail after
        `timeout` seconds."""

        async def loop() -> None:
            worker = Worker(self.database, self.settings)
            deadline = time.monotonic() + timeout
            async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0)) as http:
                while True:
                    handled = await worker.run_once(http)
                    if await anyio.to_thread.run_sync(done):
                        return
                    if time.monotonic() > deadline:
                        raise AssertionError(f"the outbox did not settle within {timeout}s")
                    if handled == 0:
                        await anyio.sleep(0.01)

        anyio.run(loop)

    def run_for(self, seconds: float) -> None:
        """Run the worker for a while, whatever happens."""
        until = time.monotonic() + seconds
        self.run_until(lambda: time.monotonic() >= until, timeout=seconds + 5)

    def settle(self, workspace_id: str, timeout: float = 10.0) -> list[OutboxMessage]:
        """Deliver until none of the workspace's rows that this worker would take is PENDING
        (without an SMTP URL, email rows wait and are not waited for). Returns the rows."""
        waiting = () if self.settings.smtp_url else EMAIL_KINDS

        def settled() -> bool:
            return not any(
                r.status == PENDING and r.kind not in waiting for r in rows(self.database, workspace_id)
            )

        self.run_until(settled, timeout)
        return rows(self.database, workspace_id)


MakeDelivery = Callable[..., Delivery]


@pytest.fixture
def make_delivery(
    database: Database, database_url: str, receiver: Receiver, smtp: SmtpServer
) -> MakeDelivery:
    """A Delivery whose settings point at the receiver (Slack at `<receiver>/api`) and the SMTP
    server; keyword arguments override settings (e.g. `smtp_url=None`, `outbox_max_attempts=3`)."""

    def make(**overrides: Any) -> Delivery:
        options: dict[str, Any] = {
            "database_url": database_url,
            "slack_api_url": receiver.url + "/api",
            "smtp_url": smtp.url,
            "public_url": PUBLIC_URL,
            "outbox_backoff_seconds": 0.05,
            "outbox_backoff_cap_seconds": 0.2,
            "outbox_poll_seconds": 0.05,
            "outbox_max_attempts": 10,
            "run_clock_jobs": False,
            **overrides,
        }
        return Delivery(database, Settings(**options))

    return make


@pytest.fixture
def delivery(make_delivery: MakeDelivery) -> Delivery:
    return make_delivery()


@dataclass
class SlackWorkspace:
    """A workspace with a Slack bot token and a notification channel of its own."""

    ws: WorkspaceFixture
    channel: str
    token: str


@pytest.fixture
def slack_workspace(database: Database) -> SlackWorkspace:
    tag = uuid.uuid4().hex[:10].upper()
    channel, token = f"C{tag}", f"xoxb-test-{tag.lower()}"
    ws = make_workspace(database, slack_channel=channel, slack_token=token, title_quota=0)
    return SlackWorkspace(ws, channel, token)
