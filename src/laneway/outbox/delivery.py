"""What delivering an outbox row means: prepare it from the database, then send it.

Preparing reads the current state (the thread, its contact, the workspace's Slack settings) in
a short read transaction; sending talks to Slack, the mail relay or a webhook with no
transaction open. Each kind of row has one preparer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import httpx
from sqlalchemy.orm import Session

from laneway.config import Settings
from laneway.outbox.models import OutboxMessage


@dataclass(frozen=True, slots=True)
class Sent:
    pass


@dataclass(frozen=True, slots=True)
class Retry:
    """A failure that may pass: try again later (after `after` seconds when the other side said)."""

    error: str
    after: float | None = None


@dataclass(frozen=True, slots=True)
class Dead:
    """A failure that will not pass by retrying (bad token, unknown channel, no address)."""

    error: str


Outcome = Sent | Retry | Dead


class Action(Protocol):
    async def send(self, http: httpx.AsyncClient, settings: Settings) -> Outcome: ...


Preparer = Callable[[Session, OutboxMessage, Settings], "Action | Dead"]
PREPARERS: dict[str, Preparer] = {}


def preparer(*kinds: str) -> Callable[[Preparer], Preparer]:
    def register(fn: Preparer) -> Preparer:
        for kind in kinds:
            PREPARERS[kind] = fn
        return fn

    return register


def http_outcome(response: httpx.Response) -> Outcome:
    """The usual reading of an HTTP answer: 2xx sent, 429/5xx/408 retried, other 4xx dead."""
    if response.is_success:
        return Sent()
    error = f"HTTP {response.status_code}: {response.text[:300]}"
    if response.status_code in (408, 425, 429) or response.status_code >= 500:
        return Retry(error, retry_after(response))
    return Dead(error)


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, min(float(value), 3600.0))
    except ValueError:
        return None
