"""GET /metrics: the outbox in Prometheus text format, for alerting on stuck deliveries."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from laneway.kit.time import utcnow
from laneway.outbox.models import DONE, PENDING, OutboxMessage
from tests.outbox.conftest import MakeDelivery, SlackWorkspace, rows
from tests.threads.helpers import create

SAMPLE = re.compile(r"(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>[^}]*)\})? (?P<value>\S+)")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples: Samples = {}
    typed = set()
    for line in response.text.splitlines():
        if line.startswith("# TYPE "):
            typed.add(line.split()[2])
            continue
        if line.startswith("#"):
            continue
        match = SAMPLE.fullmatch(line)
        assert match, f"not a Prometheus sample: {line!r}"
        assert match["name"] in typed, f"{match['name']} has no # TYPE line before it"
        labels = frozenset(LABEL.findall(match["labels"] or ""))
        samples[(match["name"], labels)] = float(match["value"])
    return samples


def outbox_rows(samples: Samples, kind: str, status: str) -> float:
    return samples.get(("laneway_outbox_rows", frozenset({("kind", kind), ("status", status)})), 0.0)


def test_metrics_show_rows_by_kind_and_status_and_the_age_of_the_oldest_due_row(
    client: TestClient, slack_workspace: SlackWorkspace, make_delivery: MakeDelivery
) -> None:
    before = scrape(client)
    create(client, slack_workspace.ws.admin, notify={"slack": True, "email": True})
    delivery = make_delivery(smtp_url=None)  # the mail waits for a relay
    delivery.settle(slack_workspace.ws.id)
    (mail,) = rows(delivery.database, slack_workspace.ws.id, "email.thread_received")
    with delivery.database.unit_of_work() as session:  # as if it had waited two minutes
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == mail.id)
            .values(next_attempt_at=utcnow() - timedelta(seconds=120))
        )
    after = scrape(client)

    assert (
        outbox_rows(after, "slack.thread_created", DONE) - outbox_rows(before, "slack.thread_created", DONE)
        == 1
    )
    assert (
        outbox_rows(after, "email.thread_received", PENDING)
        - outbox_rows(before, "email.thread_received", PENDING)
        == 1
    )
    assert after[("laneway_outbox_oldest_due_age_seconds", frozenset())] >= 120
    sent = (
        "laneway_outbox_deliveries_total",
        frozenset({("kind", "slack.thread_created"), ("outcome", "sent")}),
    )
    assert after[sent] >= before.get(sent, 0) + 1
