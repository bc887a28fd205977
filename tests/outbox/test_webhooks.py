"""Webhooks: admins register endpoints; each event is delivered signed, once, with an id that
stays the same across retries."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
import uuid
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from laneway.kit.db import Database
from laneway.outbox.models import DONE
from tests.conftest import Member, make_workspace
from tests.outbox.conftest import Delivery, MakeDelivery, queue_events, rows
from tests.outbox.neighbours import Answer, Receiver, Request
from tests.threads.helpers import create, unique_email


def register(client: TestClient, member: Member, url: str, events: list[str]) -> dict[str, Any]:
    response = client.post("/api/v1/webhooks", json={"url": url, "events": events}, headers=member.headers)
    assert response.status_code == 200, response.text
    hook: dict[str, Any] = response.json()
    return hook


def hook_path() -> str:
    return f"/hooks/{uuid.uuid4().hex[:12]}"


def verified(request: Request, secret: str) -> bool:
    timestamp = request.headers["laneway-timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers["laneway-signature"], "v1=" + expected)


def test_only_admins_manage_webhooks_and_unknown_ones_are_not_found(
    client: TestClient, database: Database, receiver: Receiver
) -> None:
    ws, other = make_workspace(database), make_workspace(database)
    user = ws.add_member(unique_email("user"), role="USER")
    url = receiver.url + hook_path()
    body = {"url": url, "events": ["thread.*"]}
    assert client.post("/api/v1/webhooks", json=body, headers=user.headers).status_code == 403
    assert client.get("/api/v1/webhooks", headers=user.headers).status_code == 403

    hook = register(client, ws.admin, url, ["thread.*"])
    assert hook["secret"].startswith("whsec_")
    assert hook["events"] == ["thread.*"]
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=user.headers).status_code == 403
    listed = client.get("/api/v1/webhooks", headers=ws.admin.headers).json()["webhooks"]
    assert [h["id"] for h in listed] == [hook["id"]]
    assert "secret" not in listed[0]

    unknown = client.delete("/api/v1/webhooks/01unknownwebhook0000000000", headers=ws.admin.headers)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "NOT_FOUND")
    foreign = client.delete(f"/api/v1/webhooks/{hook['id']}", headers=other.admin.headers)
    assert foreign.status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=ws.admin.headers).status_code == 200
    again = client.delete(f"/api/v1/webhooks/{hook['id']}", headers=ws.admin.headers)
    assert again.status_code == 404


def test_thread_events_are_signed_and_keep_their_id_across_retries(
    client: TestClient, database: Database, delivery: Delivery, receiver: Receiver
) -> None:
    ws = make_workspace(database)
    path = hook_path()
    hook = register(client, ws.admin, receiver.url + path, ["thread.*"])
    seen: set[str] = set()
    lock = threading.Lock()

    def first_try_fails(request: Request) -> Answer:
        with lock:
            event_id = request.headers.get("laneway-event-id", "")
            if event_id not in seen:
                seen.add(event_id)
                return Answer(500, b"not now")
        return Answer(200, b"")

    receiver.respond = first_try_fails
    t = create(client, ws.admin)  # a new contact too, but only thread.* is asked for
    patched = client.patch(
        f"/api/v1/threads/{t['id']}", json={"state": "PROCESSED"}, headers=ws.admin.headers
    )
    assert patched.status_code == 200, patched.text
    settled = delivery.settle(ws.id)
    assert {(r.kind, r.status, r.attempts) for r in settled} == {("webhook", DONE, 2)}

    calls = receiver.on(path)
    by_event: dict[str, list[Request]] = {}
    for call in calls:
        by_event.setdefault(call.headers["laneway-event-id"], []).append(call)
    types = sorted(c[0].json()["type"] for c in by_event.values())
    # The create is one event; the PATCH that changes the state is two (updated, state_changed).
    assert types == ["thread.created", "thread.state_changed", "thread.updated"]
    for event_id, attempts in by_event.items():
        assert [a.status for a in attempts] == [500, 200]
        assert all(verified(a, hook["secret"]) for a in attempts)
        assert all(abs(int(a.headers["laneway-timestamp"]) - time.time()) < 60 for a in attempts)
        assert attempts[0].body == attempts[1].body  # the same event, byte for byte
        event = attempts[1].json()
        assert (event["id"], event["workspaceId"]) == (event_id, ws.id)
        assert attempts[1].headers["laneway-event-type"] == event["type"]
        assert attempts[1].headers["content-type"] == "application/json"
        assert event["data"]["thread"]["id"] == t["id"]
    changed = next(c[0].json() for c in by_event.values() if c[0].json()["type"] == "thread.state_changed")
    assert (changed["data"]["previousState"], changed["data"]["thread"]["state"]) == ("NEW", "PROCESSED")


def test_a_forged_signature_does_not_verify(receiver: Receiver) -> None:
    """The check used above is strict: a body changed by one byte fails it."""
    request = Request("POST", "/", {"laneway-timestamp": "1700000000"}, b'{"id":"e1"}')
    mac = hmac.new(b"whsec_x", b"1700000000." + request.body, hashlib.sha256).hexdigest()
    request.headers["laneway-signature"] = "v1=" + mac
    assert verified(request, "whsec_x")
    request.body = b'{"id":"e2"}'
    assert not verified(request, "whsec_x")


def test_contact_created_is_delivered_for_new_contacts_only(
    client: TestClient, database: Database, delivery: Delivery, receiver: Receiver
) -> None:
    ws = make_workspace(database)
    path = hook_path()
    register(client, ws.admin, receiver.url + path, ["contact.created"])
    first, second = unique_email("first"), unique_email("second")
    create(client, ws.admin, contactEmail=first, contactName="First")
    create(client, ws.admin, contactEmail=f"  {first.upper()} ")  # the same contact
    create(client, ws.admin, contactEmail=second)
    delivery.settle(ws.id)
    events = [c.json() for c in receiver.on(path)]
    assert [e["type"] for e in events] == ["contact.created"] * 2
    assert sorted(e["data"]["contact"]["email"] for e in events) == sorted([first, second])
    assert len({e["id"] for e in events}) == 2


def test_a_receiver_failing_half_the_requests_gets_every_event_exactly_once(
    client: TestClient, database: Database, make_delivery: MakeDelivery, receiver: Receiver
) -> None:
    ws = make_workspace(database)
    path = hook_path()
    register(client, ws.admin, receiver.url + path, ["*"])
    processed: Counter[str] = Counter()
    calls = 0
    lock = threading.Lock()

    def every_other_fails(request: Request) -> Answer:
        nonlocal calls
        with lock:
            calls += 1
            if calls % 2:
                return Answer(500, b"overloaded")  # refused before any processing
            processed[request.json()["id"]] += 1
        return Answer(200, b"")

    receiver.respond = every_other_fails
    queue_events(ws, 100)
    settled = make_delivery(outbox_max_attempts=50).settle(ws.id, timeout=20)

    assert {r.status for r in settled} == {DONE}
    assert len(processed) == 100
    assert set(processed.values()) == {1}, "an event was processed twice"
    failures = sum(1 for c in receiver.on(path) if c.status == 500)
    assert failures >= 50
    assert sum(r.attempts for r in settled) == len(receiver.on(path)) == 100 + failures
    assert len(rows(database, ws.id)) == 100


@pytest.mark.parametrize("events", [["thread.created"], ["company.created"]])
def test_a_webhook_hears_only_the_events_it_asked_for(
    client: TestClient, database: Database, delivery: Delivery, receiver: Receiver, events: list[str]
) -> None:
    ws = make_workspace(database)
    path = hook_path()
    register(client, ws.admin, receiver.url + path, events)
    t = create(client, ws.admin)
    client.patch(f"/api/v1/threads/{t['id']}", json={"state": "COMPLETED"}, headers=ws.admin.headers)
    delivery.settle(ws.id)
    assert [c.json()["type"] for c in receiver.on(path)] == [e for e in events if e == "thread.created"]
