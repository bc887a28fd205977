"""Idempotency-Key: retries give the first answer, the work is done once, even at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
from fastapi.testclient import TestClient

from laneway.contacts.models import Contact
from laneway.idempotency.models import IdempotencyKey
from laneway.idempotency.service import purge_expired
from laneway.kit.time import utcnow
from laneway.outbox.models import OutboxMessage
from laneway.threads.models import Thread, ThreadMessage
from tests.conftest import WorkspaceFixture
from tests.threads.helpers import create, thread_body


def post(
    client: TestClient, ws: WorkspaceFixture, body: dict[str, object], key: str, path: str = "/api/v1/threads"
):  # type: ignore[no-untyped-def]
    return client.post(path, json=body, headers={**ws.admin.headers, "Idempotency-Key": key})


def test_a_retry_gets_the_first_answer_and_creates_nothing(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    body = thread_body(notify={"slack": True})
    first = post(client, workspace, body, "retry-1")
    again = post(client, workspace, body, "retry-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert workspace.count(Thread) == 1
    assert workspace.count(OutboxMessage) == 1


def test_the_same_key_with_another_body_is_409(client: TestClient, workspace: WorkspaceFixture) -> None:
    assert post(client, workspace, thread_body(), "reused").status_code == 200
    clash = post(client, workspace, thread_body(), "reused")
    assert clash.status_code == 409
    assert clash.json()["code"] == "CONFLICT"
    assert workspace.count(Thread) == 1


def test_keys_belong_to_one_workspace(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    body = thread_body()
    mine, theirs = (
        post(client, workspace, body, "shared-key"),
        post(client, other_workspace, body, "shared-key"),
    )
    assert mine.json()["workspaceId"] == workspace.id
    assert theirs.json()["workspaceId"] == other_workspace.id


def test_a_failed_request_does_not_burn_its_key(client: TestClient, workspace: WorkspaceFixture) -> None:
    bad = post(client, workspace, thread_body(projectId="missing"), "after-404")
    assert bad.status_code == 404
    assert workspace.count(IdempotencyKey) == 0
    fixed = post(client, workspace, thread_body(), "after-404")
    assert fixed.status_code == 200


def test_replies_are_idempotent_too(client: TestClient, workspace: WorkspaceFixture) -> None:
    t = create(client, workspace.admin)
    path = f"/api/v1/threads/{t['id']}/messages"
    first = post(client, workspace, {"content": "<p>once</p>"}, "reply-1", path)
    again = post(client, workspace, {"content": "<p>once</p>"}, "reply-1", path)
    assert first.json() == again.json()
    assert workspace.count(ThreadMessage) == 1
    assert workspace.count(OutboxMessage, kind="email.reply") == 1


def test_bad_keys_are_400(client: TestClient, workspace: WorkspaceFixture) -> None:
    for key in ("", "k" * 256, "tab\there"):
        assert post(client, workspace, thread_body(), key).status_code == 400, repr(key)
    assert workspace.count(Thread) == 0


def test_ten_identical_requests_at_once_make_one_thread(
    live_server: str, workspace: WorkspaceFixture
) -> None:
    body = thread_body(notify={"email": True})
    headers = {**workspace.admin.headers, "Idempotency-Key": "burst-key"}
    barrier = threading.Barrier(10)

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=live_server, timeout=60) as http:
            barrier.wait()
            return http.post("/api/v1/threads", json=body, headers=headers)

    with ThreadPoolExecutor(10) as pool:
        responses = list(pool.map(send, range(10)))
    assert [r.status_code for r in responses] == [200] * 10
    assert len({r.json()["id"] for r in responses}) == 1
    assert (workspace.count(Thread), workspace.count(Contact), workspace.count(OutboxMessage)) == (1, 1, 1)


def test_keys_are_kept_a_day_and_forgotten_after_two(client: TestClient, workspace: WorkspaceFixture) -> None:
    post(client, workspace, thread_body(), "old-key")
    with workspace.database.unit_of_work() as session:
        purge_expired(session, utcnow() + timedelta(hours=24))
    assert workspace.count(IdempotencyKey) == 1
    with workspace.database.unit_of_work() as session:
        purge_expired(session, utcnow() + timedelta(hours=49))
    assert workspace.count(IdempotencyKey) == 0


def test_another_member_reusing_a_key_gets_409_not_the_first_answer(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    body = thread_body()
    assert post(client, workspace, body, "mine").status_code == 200
    other = workspace.add_member("other.member@laneway.example")
    clash = client.post("/api/v1/threads", json=body, headers={**other.headers, "Idempotency-Key": "mine"})
    assert clash.status_code == 409
    assert workspace.count(Thread) == 1
