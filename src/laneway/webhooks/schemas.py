from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StrictStr

from laneway.kit.schema import RequestSchema, ResponseSchema, Timestamp

EVENT_TYPES = (
    "thread.created", "thread.updated", "thread.state_changed", "message.sent", "contact.created",
    "company.created",
)  # fmt: skip
_PATTERN = re.compile(r"\*|[a-z_]+\.(\*|[a-z_]+)")
_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\]|[0-9a-f:]+")


def _url(value: str) -> str:
    # Private and loopback hosts are allowed on purpose: a self-hosted Laneway often notifies
    # services on its own network. Only admins register endpoints.
    if any(c.isspace() or not c.isprintable() for c in value):
        raise ValueError("must not contain spaces or control characters")
    parts = urlsplit(value)
    try:
        port = parts.port  # raises ValueError for ports out of range or not numbers
    except ValueError:
        raise ValueError("has an invalid port") from None
    if port == 0:
        raise ValueError("has an invalid port")
    if "@" in parts.netloc:
        # The URL is shown back by GET /webhooks: a password in it would be on display. Sign
        # requests with the webhook's secret instead.
        raise ValueError("must not carry a user name or password; requests are signed with the secret")
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host or not _HOST.fullmatch(host):
        raise ValueError("must be an http:// or https:// URL with a host name")
    return value


def _pattern(value: str) -> str:
    if not _PATTERN.fullmatch(value) or not any(fnmatchcase(t, value) for t in EVENT_TYPES):
        raise ValueError(f"must be an event type ({', '.join(EVENT_TYPES)}) or a pattern like thread.* or *")
    return value


class CreateWebhook(RequestSchema):
    url: Annotated[StrictStr, AfterValidator(_url)] = Field(max_length=2048)
    events: list[Annotated[StrictStr, AfterValidator(_pattern)]] = Field(
        default_factory=lambda: ["*"], min_length=1, max_length=20
    )


class WebhookOut(ResponseSchema):
    id: str
    url: str
    events: list[str]
    created_at: Timestamp


class WebhookCreatedOut(WebhookOut):
    """The secret is shown once, when the webhook is made: it verifies `Laneway-Signature`."""

    secret: str


class WebhookListOut(ResponseSchema):
    webhooks: list[WebhookOut]
