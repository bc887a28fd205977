"""Delivering webhook events: JSON, signed with HMAC-SHA256 over `timestamp.body`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

import httpx
from sqlalchemy.orm import Session

from laneway.config import Settings
from laneway.outbox.delivery import Action, Dead, Outcome, Retry, http_outcome, preparer
from laneway.outbox.models import OutboxMessage
from laneway.outbox.service import WEBHOOK
from laneway.webhooks.models import Webhook


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`v1=` and the hex HMAC-SHA256 of `<timestamp>.<body>` under the webhook's secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


@dataclass(frozen=True)
class WebhookCall:
    url: str
    secret: str
    event_id: str
    event_type: str
    body: bytes

    async def send(self, http: httpx.AsyncClient, settings: Settings) -> Outcome:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Laneway-Webhooks/1",
            "Laneway-Event-Id": self.event_id,
            "Laneway-Event-Type": self.event_type,
            "Laneway-Timestamp": timestamp,
            "Laneway-Signature": signature(self.secret, timestamp, self.body),
        }
        try:
            response = await http.post(self.url, content=self.body, headers=headers)
        except httpx.HTTPError as exc:
            return Retry(f"{self.url} unreachable: {type(exc).__name__}: {exc}")
        return http_outcome(response)


@preparer(WEBHOOK)
def prepare_webhook(session: Session, row: OutboxMessage, settings: Settings) -> Action | Dead:
    webhook = session.get(Webhook, row.payload.get("webhookId"))
    if webhook is None or webhook.workspace_id != row.workspace_id or webhook.is_deleted:
        return Dead("The webhook was deleted")
    event = row.payload["event"]
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    return WebhookCall(webhook.url, webhook.secret, str(event["id"]), str(event["type"]), body)
