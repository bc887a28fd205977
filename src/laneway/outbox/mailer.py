"""Email to customers over SMTP: the confirmation of a new thread, updates, and replies, as
plain text and HTML, with Message-ID / In-Reply-To / References so that mail clients thread them."""

from __future__ import annotations

import html
import smtplib
import ssl
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import unquote, urlsplit

import anyio.to_thread
import httpx
import nh3
from sqlalchemy import select
from sqlalchemy.orm import Session

from laneway.config import Settings
from laneway.contacts.models import Contact
from laneway.outbox.delivery import Action, Dead, Outcome, Retry, Sent, preparer
from laneway.outbox.models import OutboxMessage
from laneway.outbox.service import EMAIL_REPLY, EMAIL_THREAD_RECEIVED, EMAIL_THREAD_UPDATED
from laneway.outbox.texts import html_to_text
from laneway.threads.models import Thread, ThreadMessage
from laneway.workspaces.models import Workspace

EMAIL_KINDS = (EMAIL_THREAD_RECEIVED, EMAIL_THREAD_UPDATED, EMAIL_REPLY)
PERMANENT_SMTP = (550, 551, 552, 553, 554, 501)


def id_domain(settings: Settings) -> str:
    address = parseaddr(settings.email_from)[1]
    return address.rpartition("@")[2] or "laneway.local"


def thread_root_id(thread_id: str, settings: Settings) -> str:
    """The Message-ID of a thread's first email (the confirmation): every reply refers to it."""
    return f"<thread.{thread_id}@{id_domain(settings)}>"


def message_id(message_id_: str, settings: Settings) -> str:
    return f"<message.{message_id_}@{id_domain(settings)}>"


@dataclass(frozen=True)
class Mail:
    message: EmailMessage
    recipients: list[str]

    async def send(self, http: httpx.AsyncClient, settings: Settings) -> Outcome:
        if not settings.smtp_url:
            return Retry("LANEWAY_SMTP_URL is not set")
        return await anyio.to_thread.run_sync(_smtp_send, settings.smtp_url, self.message, self.recipients)


def _smtp_send(url: str, message: EmailMessage, recipients: list[str]) -> Outcome:
    parts = urlsplit(url)
    secure = parts.scheme == "smtps"
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        return Dead(f"LANEWAY_SMTP_URL must be smtp://host:port or smtps://host:port, not {parts.scheme}://")
    port = parts.port or (465 if secure else 25)
    try:
        client = (
            smtplib.SMTP_SSL(parts.hostname, port, timeout=20, context=ssl.create_default_context())
            if secure
            else smtplib.SMTP(parts.hostname, port, timeout=20)
        )
        with client:
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        return Dead(f"The mail relay refused every recipient: {exc.recipients}")
    except smtplib.SMTPResponseException as exc:
        error = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        return Dead(error) if exc.smtp_code in PERMANENT_SMTP else Retry(error)
    except (OSError, smtplib.SMTPException) as exc:
        return Retry(f"SMTP unreachable: {type(exc).__name__}: {exc}")
    return Sent()


def header_text(text: str) -> str:
    """`text` on one header line: every kind of line break or control character becomes a space
    (Python counts \u2028, \x0b, \x85 and more as line breaks, which headers cannot hold)."""
    return " ".join(
        "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text).split()
    )


def _address(email: str, name: str | None) -> str:
    try:
        return str(Address(display_name=header_text(name or ""), addr_spec=email))
    except (ValueError, IndexError):
        return email


def _message(settings: Settings, to: str, subject: str, text: str, markup: str, own_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.email_from
    message["To"] = to
    message["Subject"] = header_text(subject)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = own_id
    message.set_content(text)
    message.add_alternative(f"<!doctype html><html><body>{markup}</body></html>", subtype="html")
    return message


def _thread_and_contact(
    session: Session, row: OutboxMessage, thread_id: object
) -> tuple[Thread, Contact] | Dead:
    thread = session.get(Thread, thread_id)
    if thread is None or thread.workspace_id != row.workspace_id:
        return Dead("The thread no longer exists")
    contact = session.get(Contact, thread.contact_id) if thread.contact_id else None
    if contact is None or contact.is_deleted:
        return Dead("The thread has no contact to write to")
    return thread, contact


@preparer(EMAIL_THREAD_RECEIVED, EMAIL_THREAD_UPDATED)
def prepare_thread_mail(session: Session, row: OutboxMessage, settings: Settings) -> Action | Dead:
    found = _thread_and_contact(session, row, row.payload.get("threadId"))
    if isinstance(found, Dead):
        return found
    thread, contact = found
    workspace = session.get(Workspace, row.workspace_id)
    team = workspace.name if workspace else "the team"
    plain = html_to_text(thread.text)
    title = thread.title or "your request"
    if row.kind == EMAIL_THREAD_RECEIVED:
        subject, lead = (
            f"We received your request: {title}",
            f"Thanks for reaching out. {team} received your request:",
        )
        own_id = thread_root_id(thread.id, settings)
    else:
        subject, lead = (
            f"Update on your request: {title}",
            f"{team} updated your request (now {thread.state.lower()}):",
        )
        own_id = f"<update.{row.id}@{id_domain(settings)}>"
    text = f"Hello {contact.name or ''},\n\n{lead}\n\n{plain}\n\n— {team}".replace("Hello ,", "Hello,")
    markup = (
        f"<p>Hello {html.escape(contact.name or '')},</p><p>{html.escape(lead)}</p>"
        f"<blockquote>{html.escape(plain).replace(chr(10), '<br>')}</blockquote><p>— {html.escape(team)}</p>"
    )
    message = _message(settings, _address(contact.email, contact.name), subject, text, markup, own_id)
    if row.kind == EMAIL_THREAD_UPDATED:
        message["In-Reply-To"] = message["References"] = thread_root_id(thread.id, settings)
    return Mail(message, [contact.email])


@preparer(EMAIL_REPLY)
def prepare_reply_mail(session: Session, row: OutboxMessage, settings: Settings) -> Action | Dead:
    reply = session.get(ThreadMessage, row.payload.get("messageId"))
    if reply is None or reply.workspace_id != row.workspace_id:
        return Dead("The message no longer exists")
    found = _thread_and_contact(session, row, reply.thread_id)
    if isinstance(found, Dead):
        return found
    thread, contact = found
    earlier = session.scalars(
        select(ThreadMessage.id)
        .where(ThreadMessage.thread_id == thread.id, ThreadMessage.direction == "OUTBOUND",
               (ThreadMessage.created_at < reply.created_at)
               | ((ThreadMessage.created_at == reply.created_at) & (ThreadMessage.id < reply.id)))
        .order_by(ThreadMessage.created_at, ThreadMessage.id)
    ).all()  # fmt: skip
    chain = [thread_root_id(thread.id, settings), *(message_id(m, settings) for m in earlier)]
    subject = f"Re: {thread.title or 'your request'}"
    # The reply is HTML by contract; what reaches the customer's mail client is sanitised
    # (no scripts, event handlers or javascript: links), whoever wrote it.
    safe = nh3.clean(reply.content)
    message = _message(
        settings, _address(contact.email, contact.name), subject, html_to_text(safe), safe,
        message_id(reply.id, settings),
    )  # fmt: skip
    message["In-Reply-To"] = chain[-1]
    message["References"] = " ".join(chain)
    cc = [_address(r["email"], r.get("name")) for r in reply.cc]
    if cc:
        message["Cc"] = ", ".join(cc)
    recipients = [contact.email, *(r["email"] for r in reply.cc), *(r["email"] for r in reply.bcc)]
    return Mail(message, list(dict.fromkeys(recipients)))
