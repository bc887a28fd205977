"""Concurrency is input too: requests racing through a real server on both databases."""

from __future__ import annotations

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from laneway.contacts.models import Contact
from laneway.kit.db import Database
from laneway.threads.models import Thread
from tests.conftest import WorkspaceFixture, make_workspace
from tests.threads.helpers import OMIT, thread_body, unique_email


def race(base_url: str, headers: dict[str, str], bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """POST every body at once (a barrier releases them together), each on its own connection."""
    barrier = threading.Barrier(len(bodies))

    def send(body: dict[str, Any]) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=60) as http:
            barrier.wait()
            return http.post("/api/v1/threads", json=body, headers=headers)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


def test_thirty_concurrent_creates_with_one_new_email_make_one_contact(
    live_server: str, workspace: WorkspaceFixture
) -> None:
    email = unique_email("racer")
    spellings = [email, email.upper(), f"  {email}  "]
    bodies = [thread_body(contactEmail=spellings[i % 3], contactName=f"Racer {i}") for i in range(30)]
    responses = race(live_server, workspace.admin.headers, bodies)
    assert [r.status_code for r in responses] == [200] * 30, [
        r.text for r in responses if r.status_code != 200
    ]
    contact_ids = {r.json()["contactId"] for r in responses}
    assert len(contact_ids) == 1
    assert workspace.count(Contact) == 1
    assert workspace.count(Thread) == 30
    assert len({r.json()["id"] for r in responses}) == 30


def test_concurrent_creates_never_overspend_the_title_quota(live_server: str, database: Database) -> None:
    workspace = make_workspace(database, title_quota=5)
    bodies = [thread_body(title=OMIT, text=f"Feature request number {i}") for i in range(20)]
    responses = race(live_server, workspace.admin.headers, bodies)
    assert [r.status_code for r in responses] == [200] * 20
    titled = [r.json()["title"] for r in responses if r.json()["title"] is not None]
    assert len(titled) == 5
    assert min(r.json()["workspace"]["remainingGeneratedThreadTitles"] for r in responses) == 0
    assert workspace.count(Thread) == 20


def test_a_slow_client_does_not_hold_up_other_writers(live_server: str, workspace: WorkspaceFixture) -> None:
    body = json.dumps(thread_body()).encode()
    host, port = live_server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as slow:
        head = (
            f"POST /api/v1/threads HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {workspace.admin.key}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        slow.sendall(head.encode() + body[:10])  # authenticated, body still on its way
        time.sleep(0.3)
        with httpx.Client(base_url=live_server, timeout=5) as http:
            started = time.monotonic()
            fast = http.post("/api/v1/threads", json=thread_body(), headers=workspace.admin.headers)
            assert fast.status_code == 200
            assert time.monotonic() - started < 3
        slow.sendall(body[10:])
        assert slow.recv(65536).startswith(b"HTTP/1.1 200")
    assert workspace.count(Thread) == 2


def test_a_burst_larger_than_the_pool_queues_instead_of_failing(live_server: str, database: Database) -> None:
    workspace = make_workspace(database, title_quota=1000)
    bodies = [thread_body(title=OMIT, text=f"Burst number {i}") for i in range(80)]
    responses = race(live_server, workspace.admin.headers, bodies)
    assert sorted({r.status_code for r in responses}) == [200], [
        r.text for r in responses if r.status_code != 200
    ][:3]
    assert workspace.count(Thread) == 80
