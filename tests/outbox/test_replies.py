"""Replies by email: one SMTP transaction to the contact, cc and bcc, threaded under the
confirmation mail, sanitised, with a Message-ID that does not change across retries."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from laneway.outbox.models import DONE
from tests.conftest import Member
from tests.outbox.conftest import Delivery, SlackWorkspace, rows
from tests.outbox.neighbours import Mail, SmtpServer
from tests.threads.helpers import create, unique_email

REPLY = (
    '<p>Thanks &amp; sorry, <b>fixed</b>.</p><script>alert("x")</script>'
    '<a href="javascript:alert(1)" onclick="steal()">details</a><img src=x onerror="steal()">'
)


def reply(client: TestClient, member: Member, thread_id: str, **body: Any) -> str:
    response = client.post(f"/api/v1/threads/{thread_id}/messages", json=body, headers=member.headers)
    assert response.status_code == 200, response.text
    assert response.json()["threadId"] == thread_id
    message_id: str = response.json()["messageId"]
    return message_id


def replies_to(smtp: SmtpServer, email: str) -> list[Mail]:
    return [m for m in smtp.to(email) if m.message["Subject"].startswith("Re: ")]


def test_a_reply_mails_contact_cc_and_bcc_once_threaded_under_the_first_mail(
    client: TestClient, slack_workspace: SlackWorkspace, delivery: Delivery, smtp: SmtpServer
) -> None:
    ws = slack_workspace.ws
    contact, cc, bcc = unique_email("contact"), unique_email("cc"), unique_email("bcc")
    t = create(client, ws.admin, contactEmail=contact, title="Export broken", notify={"email": True})
    delivery.settle(ws.id)
    (confirmation,) = smtp.to(contact)
    root = confirmation.message["Message-ID"]

    smtp.fail_next = 1  # the relay refuses the first try: the retry must be the same mail
    first = reply(
        client, ws.admin, t["id"], content=REPLY, cc=[{"name": "Carl Cc", "email": cc}], bcc=[{"email": bcc}]
    )
    settled = delivery.settle(ws.id)
    assert [(r.status, r.attempts) for r in settled if r.kind == "email.reply"] == [(DONE, 2)]

    (mail,) = replies_to(smtp, contact)
    assert sorted(mail.rcpt_tos) == sorted([contact, cc, bcc])
    message = mail.message
    assert message["Subject"] == "Re: Export broken"
    assert contact in message["To"]
    assert cc in message["Cc"]
    assert "Carl Cc" in message["Cc"]
    assert message["Bcc"] is None
    assert bcc.encode() not in mail.raw
    assert message["In-Reply-To"] == root
    assert message["References"] == root
    assert first in message["Message-ID"]
    (refused,) = smtp.refused
    assert refused.message["Message-ID"] == message["Message-ID"]  # stable across retries

    markup = mail.part("html")
    assert "<script" not in markup
    assert "alert(" not in markup
    assert "javascript:" not in markup
    assert "onclick" not in markup
    assert "onerror" not in markup
    assert "<b>fixed</b>" in markup
    assert "Thanks &amp; sorry" in markup
    assert "Thanks & sorry, fixed." in mail.part("plain")

    second = reply(client, ws.admin, t["id"], content="<p>One more thing.</p>")
    delivery.settle(ws.id)
    later = [m for m in replies_to(smtp, contact) if second in m.message["Message-ID"]]
    (mail2,) = later
    assert mail2.rcpt_tos == [contact]
    assert mail2.message["In-Reply-To"] == message["Message-ID"]
    assert mail2.message["References"].split() == [root, message["Message-ID"]]
    assert len(replies_to(smtp, contact)) == 2
    assert len(rows(delivery.database, ws.id, "email.reply")) == 2
