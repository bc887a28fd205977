from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StrictStr

from laneway.kit.schema import RequestSchema, ResponseSchema, Timestamp

EVENT_TYPES = (
    "thread.created", "thread.updated", "thread.state_changed", "message.sent", "contact.created",
    "company.created",
)  # fmt: skip
_PATTERN = re.compile(r"\*|[a-z_]+\.(\*|[a-z_]+)")


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL")
    return value


def _pattern(value: str) -> str:
    if not _PATTERN.fullmatch(value):
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
