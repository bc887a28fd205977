"""Failures that pass and failures that do not: an outage of every neighbour is waited out and
then everything arrives once; an endpoint that always fails ends DEAD, and operators bring it back
with `laneway outbox retry` after finding it with `laneway outbox list --status DEAD`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from laneway.cli import main
from laneway.kit.db import Database
from laneway.outbox.models import DEAD, DONE, PENDING
from laneway.outbox.service import WEBHOOK, enqueue
from tests.conftest import make_workspace
from tests.outbox.conftest import MakeDelivery, SlackWorkspace, rows
from tests.outbox.neighbours import Answer, Receiver, SmtpServer
from tests.outbox.test_webhooks import hook_path, register
from tests.threads.helpers import create, unique_email


@pytest.fixture
def laneway(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], workdir: Path
) -> Any:
    """Run an operator command; returns its JSON output."""
    monkeypatch.setenv("LANEWAY_DATABASE_URL", database_url)

    def run(*args: str) -> Any:
        code = main(list(args))
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out)

    return run


def test_an_outage_of_every_neighbour_is_waited_out_then_everything_arrives_once(
    client: TestClient,
    slack_workspace: SlackWorkspace,
    make_delivery: MakeDelivery,
    receiver: Receiver,
    smtp: SmtpServer,
) -> None:
    ws = slack_workspace.ws
    path = hook_path()
    register(client, ws.admin, receiver.url + path, ["thread.created"])
    receiver.stop()
    smtp.stop()
    emails = [unique_email(f"outage{i}") for i in range(3)]
    threads = [
        create(client, ws.admin, contactEmail=e, notify={"slack": True, "email": True})["id"] for e in emails
    ]
    delivery = make_delivery(outbox_max_attempts=100)
    delivery.run_for(0.6)

    waiting = rows(delivery.database, ws.id)
    assert len(waiting) == 9
    assert {r.status for r in waiting} == {PENDING}
    assert all(r.attempts >= 2 for r in waiting), [r.attempts for r in waiting]
    errors = {r.kind: r.last_error or "" for r in waiting}
    assert "SMTP unreachable" in errors["email.thread_received"]
    assert "Slack unreachable" in errors["slack.thread_created"]
    assert "unreachable" in errors["webhook"]

    receiver.start()
    smtp.start()
    settled = delivery.settle(ws.id)
    assert {r.status for r in settled} == {DONE}
    posts = receiver.slack_posts(slack_workspace.channel)
    assert sorted(t for p in posts for t in threads if t in p.json()["text"]) == sorted(threads)
    assert len(posts) == 3
    assert [len(smtp.to(e)) for e in emails] == [1, 1, 1]
    events = Counter(c.json()["data"]["thread"]["id"] for c in receiver.on(path))
    assert events == Counter(threads)


def test_an_endpoint_that_always_fails_ends_dead_and_an_operator_brings_it_back(
    client: TestClient, database: Database, make_delivery: MakeDelivery, receiver: Receiver, laneway: Any
) -> None:
    ws = make_workspace(database)
    path = hook_path()
    register(client, ws.admin, receiver.url + path, ["thread.created"])
    receiver.respond = lambda _: Answer(500, b"broken")
    create(client, ws.admin)
    delivery = make_delivery(outbox_max_attempts=3)
    (row,) = delivery.settle(ws.id)
    assert (row.status, row.attempts) == (DEAD, 3)
    assert row.last_error == "HTTP 500: broken"
    assert len(receiver.on(path)) == 3

    listed = laneway("outbox", "list", "--status", "DEAD", "--limit", "1000")["rows"]
    (shown,) = [r for r in listed if r["id"] == row.id]
    assert shown["status"] == "DEAD"
    assert (shown["kind"], shown["workspaceId"], shown["attempts"]) == ("webhook", ws.id, 3)
    assert shown["lastError"] == "HTTP 500: broken"
    assert shown["deliveredAt"] is None
    assert all(r["status"] == "DEAD" for r in listed)

    # By id: the suite shares its database, and `--all-dead` would revive other tests' rows.
    assert laneway("outbox", "retry", row.id) == {"retried": 1}
    assert laneway("outbox", "retry", row.id) == {"retried": 0}  # no longer dead
    (revived,) = rows(database, ws.id)
    assert (revived.status, revived.attempts) == (PENDING, 0)

    receiver.respond = lambda _: Answer(204, b"")
    (done,) = delivery.settle(ws.id)
    assert (done.status, done.attempts, done.last_error) == (DONE, 1, None)
    calls = receiver.on(path)
    assert [c.status for c in calls] == [500, 500, 500, 204]
    assert len({c.headers["laneway-event-id"] for c in calls}) == 1
    delivered = laneway("outbox", "list", "--status", "DONE", "--limit", "1000")["rows"]
    assert [r["deliveredAt"] is not None for r in delivered if r["id"] == row.id] == [True]


def test_retry_all_dead_revives_every_dead_row(database: Database, laneway: Any) -> None:
    """Other tests may have left dead rows in the shared database: `--all-dead` revives those
    too, so the count is checked against a listing taken just before."""
    ws = make_workspace(database)
    with database.unit_of_work() as session:
        for _ in range(2):
            row = enqueue(session, ws.id, WEBHOOK, {"webhookId": "gone", "event": {"id": "e1", "type": "t"}})
            row.status, row.attempts, row.last_error = DEAD, 3, "HTTP 500: broken"
    dead = laneway("outbox", "list", "--status", "DEAD", "--limit", "100000")["rows"]
    assert sum(r["workspaceId"] == ws.id for r in dead) == 2
    assert laneway("outbox", "retry", "--all-dead") == {"retried": len(dead)}
    assert {(r.status, r.attempts) for r in rows(database, ws.id)} == {(PENDING, 0)}
    assert laneway("outbox", "list", "--status", "DEAD")["rows"] == []
