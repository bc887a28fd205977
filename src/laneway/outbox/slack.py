"""Slack notifications: chat.postMessage with the workspace's bot token and channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.orm import Session

from laneway.config import Settings
from laneway.contacts.models import Contact
from laneway.outbox.delivery import Action, Dead, Outcome, Retry, Sent, http_outcome, preparer, retry_after
from laneway.outbox.models import OutboxMessage
from laneway.outbox.service import SLACK_REPLY, SLACK_THREAD_CREATED, SLACK_THREAD_UPDATED
from laneway.outbox.texts import html_to_text, shorten, slack_escape
from laneway.threads.models import Thread, ThreadMessage
from laneway.workspaces.models import Workspace

# Slack errors that retrying cannot fix; anything else (rate limits, outages) is retried.
PERMANENT = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "account_inactive",
    "token_revoked", "token_expired", "no_permission", "missing_scope", "msg_too_long", "no_text",
    "invalid_blocks", "restricted_action", "team_access_not_granted", "invalid_arguments",
})  # fmt: skip
PAIN = {"HIGH": "🔴 High", "MEDIUM": "🟠 Medium", "LOW": "🟢 Low", "UNKNOWN": "⚪ Unknown"}


@dataclass(frozen=True)
class SlackPost:
    token: str
    channel: str
    text: str
    thread_ts: str | None = None

    async def send(self, http: httpx.AsyncClient, settings: Settings) -> Outcome:
        body: dict[str, Any] = {"channel": self.channel, "text": self.text, "unfurl_links": False}
        if self.thread_ts:
            body["thread_ts"] = self.thread_ts
        try:
            response = await http.post(
                settings.slack_api_url.rstrip("/") + "/chat.postMessage",
                json=body,
                headers={"Authorization": f"Bearer {self.token}"},
            )
        except httpx.HTTPError as exc:
            return Retry(f"Slack unreachable: {type(exc).__name__}: {exc}")
        if response.status_code == 429:
            after = retry_after(response)  # "Retry-After: 0" means now, not the default
            return Retry("Slack rate limit (HTTP 429)", 30.0 if after is None else after)
        if not response.is_success:
            return http_outcome(response)
        try:
            answer = response.json()
        except ValueError:
            return Retry(f"Slack answered something other than JSON: {response.text[:200]}")
        if answer.get("ok") is True:
            return Sent()
        error = str(answer.get("error", "unknown_error"))
        if error in PERMANENT:
            return Dead(f"Slack refused the message: {error}")
        return Retry(f"Slack error: {error}", retry_after(response))


def _workspace_slack(session: Session, row: OutboxMessage) -> tuple[Workspace, str] | Dead:
    workspace = session.get(Workspace, row.workspace_id)
    if workspace is None or not workspace.slack_bot_token:
        return Dead("The workspace has no Slack bot token (laneway workspace create --slack-token)")
    channel = workspace.slack_notification_channel_id
    if not channel:
        return Dead("The workspace has no Slack notification channel")
    return workspace, channel


def _thread_lines(session: Session, thread: Thread, settings: Settings) -> list[str]:
    contact = session.get(Contact, thread.contact_id) if thread.contact_id else None
    who = (
        slack_escape(f"{contact.name} <{contact.email}>" if contact and contact.name else contact.email)
        if contact
        else "unknown"
    )
    link = f"{settings.public_url.rstrip('/')}/api/v1/threads/{thread.id}"
    title = slack_escape(thread.title or shorten(html_to_text(thread.text), 80) or "Untitled")
    quoted = "\n".join(
        f"> {line}" for line in slack_escape(shorten(html_to_text(thread.text), 1500)).splitlines()
    )
    return [
        f"*<{link}|{title}>*",
        f"Pain: {PAIN.get(thread.pain_level, thread.pain_level)} · From: {who}",
        quoted,
    ]


@preparer(SLACK_THREAD_CREATED, SLACK_THREAD_UPDATED)
def prepare_thread_post(session: Session, row: OutboxMessage, settings: Settings) -> Action | Dead:
    target = _workspace_slack(session, row)
    if isinstance(target, Dead):
        return target
    workspace, channel = target
    thread = session.get(Thread, row.payload.get("threadId"))
    if thread is None or thread.workspace_id != workspace.id:
        return Dead("The thread no longer exists")
    heading = "New feedback" if row.kind == SLACK_THREAD_CREATED else f"Feedback updated ({thread.state})"
    text = "\n".join([f"*{heading}*", *_thread_lines(session, thread, settings)])
    assert workspace.slack_bot_token is not None
    return SlackPost(workspace.slack_bot_token, channel, text)


@preparer(SLACK_REPLY)
def prepare_reply_post(session: Session, row: OutboxMessage, settings: Settings) -> Action | Dead:
    workspace = session.get(Workspace, row.workspace_id)
    message = session.get(ThreadMessage, row.payload.get("messageId"))
    if workspace is None or message is None or message.workspace_id != workspace.id:
        return Dead("The message no longer exists")
    if not workspace.slack_bot_token or not message.channel_id:
        return Dead("No Slack bot token or channel for this reply")
    thread = session.get(Thread, message.thread_id)
    thread_ts = thread.slack_reply_id if thread else None
    return SlackPost(
        workspace.slack_bot_token, message.channel_id, slack_escape(html_to_text(message.content)), thread_ts
    )
