"""How the worker reads Slack's answers: permanent errors kill the row at once, rate limits and
Slack-side errors are retried (after Retry-After when Slack gives one)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi.testclient import TestClient

from laneway.outbox.models import DEAD, DONE, PENDING
from tests.outbox.conftest import Delivery, SlackWorkspace, rows
from tests.outbox.neighbours import SLACK_OK, Answer, Receiver, Request
from tests.threads.helpers import create


def first_answer_then_ok(first: Answer) -> Callable[[Request], Answer]:
    answered = threading.Event()

    def respond(request: Request) -> Answer:
        if answered.is_set():
            return SLACK_OK
        answered.set()
        return first

    return respond


def post_thread(client: TestClient, slack: SlackWorkspace) -> None:
    create(client, slack.ws.admin, notify={"slack": True})


def test_channel_not_found_kills_the_row_at_once(
    client: TestClient, slack_workspace: SlackWorkspace, delivery: Delivery, receiver: Receiver
) -> None:
    receiver.respond = lambda _: Answer(200, {"ok": False, "error": "channel_not_found"})
    post_thread(client, slack_workspace)
    (row,) = delivery.settle(slack_workspace.ws.id)
    assert (row.status, row.attempts) == (DEAD, 1)
    assert row.last_error is not None
    assert "channel_not_found" in row.last_error
    assert len(receiver.slack_posts(slack_workspace.channel)) == 1


def test_a_rate_limit_is_retried_after_retry_after_then_delivered(
    client: TestClient, slack_workspace: SlackWorkspace, delivery: Delivery, receiver: Receiver
) -> None:
    receiver.respond = first_answer_then_ok(
        Answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    )
    post_thread(client, slack_workspace)
    delivery.run_until(lambda: len(receiver.slack_posts(slack_workspace.channel)) == 1)
    (waiting,) = rows(delivery.database, slack_workspace.ws.id)
    assert (waiting.status, waiting.attempts) == (PENDING, 1)
    assert waiting.last_error is not None
    assert "429" in waiting.last_error
    assert (waiting.next_attempt_at - waiting.created_at).total_seconds() >= 0.9

    (row,) = delivery.settle(slack_workspace.ws.id)
    assert (row.status, row.attempts) == (DONE, 2)
    first, second = receiver.slack_posts(slack_workspace.channel)
    assert second.received_at - first.received_at >= 0.9  # Slack's Retry-After was honoured
    assert (first.status, second.status) == (429, 200)


def test_retry_after_zero_means_retry_now(
    client: TestClient, slack_workspace: SlackWorkspace, delivery: Delivery, receiver: Receiver
) -> None:
    receiver.respond = first_answer_then_ok(
        Answer(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"})
    )
    post_thread(client, slack_workspace)
    (row,) = delivery.settle(slack_workspace.ws.id, timeout=5)  # not the 30 s of "no Retry-After"
    assert (row.status, row.attempts) == (DONE, 2)


def test_a_slack_side_error_is_retried(
    client: TestClient, slack_workspace: SlackWorkspace, delivery: Delivery, receiver: Receiver
) -> None:
    receiver.respond = first_answer_then_ok(Answer(200, {"ok": False, "error": "internal_error"}))
    post_thread(client, slack_workspace)
    (row,) = delivery.settle(slack_workspace.ws.id)
    assert (row.status, row.attempts, row.last_error) == (DONE, 2, None)
    assert len(receiver.slack_posts(slack_workspace.channel)) == 2


def test_a_slack_outage_answering_503_is_retried(
    client: TestClient, slack_workspace: SlackWorkspace, delivery: Delivery, receiver: Receiver
) -> None:
    receiver.respond = first_answer_then_ok(Answer(503, b"<html>upstream down</html>"))
    post_thread(client, slack_workspace)
    (row,) = delivery.settle(slack_workspace.ws.id)
    assert (row.status, row.attempts) == (DONE, 2)
