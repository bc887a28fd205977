"""The delivery worker: claims due outbox rows, delivers them, settles them.

It runs inside `laneway serve` and alone as `laneway worker`; several may run against one
database. Failures retry with exponential backoff and jitter, and a row that keeps failing
is marked DEAD with its last error after `max_attempts`. A worker that dies mid-delivery
leaves its rows leased; when the lease lapses another worker delivers them.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from datetime import timedelta

import anyio
import httpx

# Importing the senders registers their preparers.
from laneway.config import Settings
from laneway.kit.db import Database
from laneway.kit.time import utcnow
from laneway.outbox import mailer, repository, slack
from laneway.outbox.delivery import PREPARERS, Action, Dead, Outcome, Retry, Sent
from laneway.outbox.models import OutboxMessage
from laneway.webhooks import delivery as webhook_delivery

log = logging.getLogger("laneway.worker")
__all__ = ["DELIVERIES", "Worker", "backoff", "mailer", "slack", "webhook_delivery"]

# Outcomes per kind in this process, for /metrics: {(kind, "sent"|"retried"|"dead"): n}.
DELIVERIES: Counter[tuple[str, str]] = Counter()


def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds before the next try: exponential, capped, with full jitter in its upper half."""
    ceiling = min(cap, base * 2 ** max(0, attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


class Worker:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self.lease = timedelta(seconds=settings.outbox_lease_seconds)
        self._wake = anyio.Event()
        self._slots = anyio.CapacityLimiter(settings.outbox_concurrency)

    def wake(self) -> None:
        """Something was just committed to the outbox: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0)) as http:
            while True:
                handled = await self.run_once(http)
                if handled == 0:
                    with anyio.move_on_after(self.settings.outbox_poll_seconds):
                        await self._wake.wait()
                    self._wake = anyio.Event()

    async def run_once(self, http: httpx.AsyncClient) -> int:
        """Claim one batch and deliver it; returns how many rows were handled."""
        skip = () if self.settings.smtp_url else mailer.EMAIL_KINDS  # without a relay, mail waits
        batch = self.settings.outbox_batch
        rows = await self.database.run(
            lambda s: repository.claim(s, utcnow(), limit=batch, lease=self.lease, skip_kinds=skip)
        )
        async with anyio.create_task_group() as group:
            for row in rows:
                group.start_soon(self._deliver, http, row)
        return len(rows)

    async def _deliver(self, http: httpx.AsyncClient, row: OutboxMessage) -> None:
        async with self._slots:
            outcome = await self._attempt(http, row)
        await self._settle(row, outcome)

    async def _attempt(self, http: httpx.AsyncClient, row: OutboxMessage) -> Outcome:
        prepare = PREPARERS.get(row.kind)
        if prepare is None:
            return Dead(f"No sender for outbox rows of kind {row.kind!r}")
        try:
            action: Action | Dead = await self.database.run(
                lambda s: prepare(s, row, self.settings), write=False
            )
        except Exception as exc:  # a bug or a database hiccup: worth another try
            log.exception("preparing outbox row %s failed", row.id)
            return Retry(f"Preparing failed: {type(exc).__name__}: {exc}")
        if isinstance(action, Dead):
            return action
        try:
            return await action.send(http, self.settings)
        except Exception as exc:
            log.exception("sending outbox row %s failed", row.id)
            return Retry(f"Sending failed: {type(exc).__name__}: {exc}")

    async def _settle(self, row: OutboxMessage, outcome: Outcome) -> None:
        token = row.claim_token or ""
        now = utcnow()
        if isinstance(outcome, Sent):
            DELIVERIES[(row.kind, "sent")] += 1
            await self.database.run(lambda s: repository.mark_done(s, row.id, token, now))
            return
        retry_at = None
        if isinstance(outcome, Retry) and row.attempts < self.settings.outbox_max_attempts:
            delay = outcome.after if outcome.after is not None else backoff(
                row.attempts, self.settings.outbox_backoff_seconds, self.settings.outbox_backoff_cap_seconds
            )  # fmt: skip
            retry_at = now + timedelta(seconds=delay)
        DELIVERIES[(row.kind, "retried" if retry_at else "dead")] += 1
        if retry_at is None:
            log.warning("outbox row %s (%s) is dead after %s attempts: %s", row.id, row.kind, row.attempts,
                        outcome.error)  # fmt: skip
        await self.database.run(lambda s: repository.mark_failed(s, row.id, token, outcome.error, retry_at))
