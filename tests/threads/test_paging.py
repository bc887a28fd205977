"""Walking pages while threads are created and updated: every thread once, none missed."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from tests.conftest import WorkspaceFixture
from tests.threads.helpers import thread_body


def test_following_nextPage_sees_every_thread_once_under_concurrent_writes(
    live_server: str, workspace: WorkspaceFixture
) -> None:
    headers = workspace.admin.headers
    with httpx.Client(base_url=live_server, timeout=30) as http:
        # Some with past dates: imports land in the middle of the order, not only on top.
        existing = [
            http.post(
                "/api/v1/threads", json=thread_body(createdAt=f"2024-02-{d:02d}T00:00:00Z"), headers=headers
            ).json()["id"]
            for d in range(1, 29)
        ]
        existing += [
            http.post("/api/v1/threads", json=thread_body(), headers=headers).json()["id"] for _ in range(12)
        ]
    stop = threading.Event()

    def churn() -> None:
        with httpx.Client(base_url=live_server, timeout=30) as http:
            n = 0
            while not stop.is_set():
                n += 1
                body = (
                    thread_body(createdAt=f"2024-02-{1 + n % 28:02d}T12:00:00Z") if n % 2 else thread_body()
                )
                http.post("/api/v1/threads", json=body, headers=headers)
                http.patch(
                    f"/api/v1/threads/{existing[n % len(existing)]}",
                    json={"state": "PROCESSED" if n % 3 else "NEW"},
                    headers=headers,
                )

    writer = threading.Thread(target=churn)
    writer.start()
    seen: list[str] = []
    try:
        with httpx.Client(base_url=live_server, timeout=30) as http:
            query: dict[str, Any] = {"take": 3}
            while True:
                page = http.get("/api/v1/threads", params=query, headers=headers).json()
                seen.extend(t["id"] for t in page["threads"])
                if page["nextPage"] is None:
                    break
                query = page["nextPage"]
    finally:
        stop.set()
        writer.join()
    assert len(seen) == len(set(seen)), "a thread was listed twice"
    assert set(existing) <= set(seen), "a thread that existed from the start was missed"
