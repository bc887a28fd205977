"""notify on a new thread: one Slack post to the workspace's channel, one email to the contact."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from laneway.outbox.models import DONE, PENDING
from tests.outbox.conftest import PUBLIC_URL, Delivery, MakeDelivery, SlackWorkspace, rows
from tests.outbox.neighbours import Receiver, SmtpServer
from tests.threads.helpers import create, unique_email

CUSTOMER_TEXT = "Totals are wrong when price < 0 & qty > 3.\nAlso <script>alert(1)</script> shows up."


def test_new_thread_with_notify_posts_to_slack_once_and_mails_the_contact_once(
    client: TestClient,
    slack_workspace: SlackWorkspace,
    delivery: Delivery,
    receiver: Receiver,
    smtp: SmtpServer,
) -> None:
    email = unique_email("jane")
    t = create(
        client,
        slack_workspace.ws.admin,
        text=CUSTOMER_TEXT,
        title="Totals <wrong> & odd",
        painLevel="HIGH",
        contactEmail=email,
        contactName="Jane Roe",
        notify={"slack": True, "email": True},
    )
    settled = delivery.settle(slack_workspace.ws.id)

    assert sorted((r.kind, r.status, r.attempts) for r in settled) == [
        ("email.thread_received", DONE, 1),
        ("slack.thread_created", DONE, 1),
    ]
    (post,) = receiver.slack_posts(slack_workspace.channel)
    assert post.headers["authorization"] == f"Bearer {slack_workspace.token}"
    text = post.json()["text"]
    assert "Totals &lt;wrong&gt; &amp; odd" in text  # the title, escaped for mrkdwn
    assert "Pain: 🔴 High" in text
    assert f"Jane Roe &lt;{email}&gt;" in text  # the contact
    assert f"<{PUBLIC_URL}/api/v1/threads/{t['id']}|" in text  # a link to the thread
    assert "price &lt; 0 &amp; qty &gt; 3" in text  # the customer's text, escaped
    assert "<script" not in text
    assert "<" not in text.replace(f"<{PUBLIC_URL}", "")

    (mail,) = smtp.to(email)
    assert mail.rcpt_tos == [email]
    message = mail.message
    assert email in message["To"]
    assert "Jane Roe" in message["To"]
    assert message["Subject"] == "We received your request: Totals <wrong> & odd"
    assert re.fullmatch(r"<thread\.[0-9a-z]+@[^>]+>", message["Message-ID"])
    assert t["id"] in message["Message-ID"]
    assert message.get_content_type() == "multipart/alternative"
    assert "price < 0 & qty > 3." in mail.part("plain")
    markup = mail.part("html")
    assert "price &lt; 0 &amp; qty &gt; 3." in markup
    assert "<script" not in markup
    assert html.escape("Jane Roe") in markup


def test_threads_created_with_a_past_created_at_notify_nobody(
    client: TestClient,
    slack_workspace: SlackWorkspace,
    delivery: Delivery,
    receiver: Receiver,
    smtp: SmtpServer,
) -> None:
    email = unique_email("import")
    create(
        client,
        slack_workspace.ws.admin,
        contactEmail=email,
        createdAt="2023-11-07T05:31:56Z",
        notify={"slack": True, "email": True},
    )
    # A fresh thread afterwards proves the worker ran and delivers to these neighbours.
    create(client, slack_workspace.ws.admin, notify={"slack": True})
    settled = delivery.settle(slack_workspace.ws.id)
    assert [r.kind for r in settled] == ["slack.thread_created"]
    assert len(receiver.slack_posts(slack_workspace.channel)) == 1
    assert smtp.to(email) == []


def test_without_an_smtp_url_mail_waits_while_slack_is_delivered(
    client: TestClient,
    slack_workspace: SlackWorkspace,
    make_delivery: MakeDelivery,
    receiver: Receiver,
    smtp: SmtpServer,
) -> None:
    email = unique_email("waits")
    create(client, slack_workspace.ws.admin, contactEmail=email, notify={"slack": True, "email": True})
    without_mail = make_delivery(smtp_url=None)
    without_mail.settle(slack_workspace.ws.id)
    without_mail.run_for(0.3)  # more rounds change nothing for the mail

    (slack_row,) = rows(without_mail.database, slack_workspace.ws.id, "slack.thread_created")
    (mail_row,) = rows(without_mail.database, slack_workspace.ws.id, "email.thread_received")
    assert (slack_row.status, slack_row.attempts) == (DONE, 1)
    assert (mail_row.status, mail_row.attempts, mail_row.last_error) == (PENDING, 0, None)
    assert len(receiver.slack_posts(slack_workspace.channel)) == 1
    assert smtp.to(email) == []

    # Once the relay is configured, the waiting mail goes out, once.
    make_delivery().settle(slack_workspace.ws.id)
    assert len(smtp.to(email)) == 1
    assert len(receiver.slack_posts(slack_workspace.channel)) == 1
