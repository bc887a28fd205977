"""Replying to the customer: the message is stored and its delivery queued in one transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laneway.auth.caller import Caller
from laneway.contacts.models import Contact
from laneway.kit.errors import BadRequest, Issue, validation_error
from laneway.kit.ids import new_id
from laneway.kit.time import render, utcnow
from laneway.outbox.service import EMAIL_REPLY, SLACK_REPLY, enqueue
from laneway.threads.models import ThreadMessage
from laneway.threads.schemas import SendMessage
from laneway.threads.triage import require_thread
from laneway.webhooks.service import emit

SLACK_ORIGINS = frozenset({"SLACK", "SLACK_CONNECT"})


def send_message(session: Session, caller: Caller, thread_id: str, data: SendMessage) -> ThreadMessage:
    """Store an outbound reply and queue it: to Slack when a channel is given (or the thread
    came from a Slack channel), else by email to the contact with the cc and bcc."""
    thread = require_thread(session, caller.workspace_id, thread_id, lock=True)
    if data.thread_id is not None and data.thread_id != thread.id:
        raise validation_error([Issue(["threadId"], "must match the thread in the path, or be left out")])
    channel = data.channel_id or (thread.slack_channel_id if thread.origin in SLACK_ORIGINS else None)
    contact = session.get(Contact, thread.contact_id) if thread.contact_id else None
    if channel is None and (contact is None or contact.is_deleted):
        raise BadRequest("This thread has no contact to email the reply to; send a channelId for Slack")
    now = utcnow()
    message = ThreadMessage(
        id=new_id(),
        workspace_id=thread.workspace_id,
        thread_id=thread.id,
        direction="OUTBOUND",
        content=data.content,
        author_type="member",
        author_id=caller.user_id,
        cc=[r.model_dump() for r in data.cc],
        bcc=[r.model_dump() for r in data.bcc],
        attachments=list(data.attachments),
        channel_id=channel,
        created_at=now,
    )
    session.add(message)
    thread.last_outbound_message_at = now
    thread.updated_at = now
    payload = {"messageId": message.id, "threadId": thread.id}
    enqueue(session, thread.workspace_id, SLACK_REPLY if channel else EMAIL_REPLY, payload)
    session.flush()
    emit(session, thread.workspace_id, "message.sent", {
        "message": {"id": message.id, "threadId": thread.id, "content": message.content, "channelId": channel,
                    "authorId": caller.user_id, "createdAt": render(now)},
    })  # fmt: skip
    return message
