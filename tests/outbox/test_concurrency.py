"""Several workers, and workers that die: every row is delivered, by one worker at a time.

A worker that dies mid-delivery cannot say what it sent; its rows are delivered again once its
lease lapses, so a receiver may see a request twice (at least once, never lost). The tests
count those duplicates and check that they are exactly the requests in flight at the kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import anyio
import httpx
from fastapi.testclient import TestClient

from laneway.kit.db import Database, make_engine
from laneway.kit.time import utcnow
from laneway.outbox.models import DONE, PENDING
from laneway.outbox.worker import Worker
from tests.conftest import make_workspace
from tests.outbox.conftest import MakeDelivery, queue_events, rows
from tests.outbox.neighbours import Answer, Receiver, Request, wait_for
from tests.outbox.test_webhooks import hook_path, register


def test_two_workers_deliver_500_rows_each_exactly_once(
    client: TestClient,
    database: Database,
    database_url: str,
    make_delivery: MakeDelivery,
    receiver: Receiver,
) -> None:
    # PostgreSQL: FOR UPDATE SKIP LOCKED hands the workers disjoint rows. SQLite: claims take
    # turns at the write lock, and the lease keeps the second worker off the first one's rows.
    ws = make_workspace(database)
    path = hook_path()
    register(client, ws.admin, receiver.url + path, ["thread.updated"])
    processed: Counter[str] = Counter()
    by_worker: Counter[str] = Counter()
    lock = threading.Lock()

    def count(request: Request) -> Answer:
        with lock:
            processed[request.json()["id"]] += 1
            by_worker[request.headers["x-worker"]] += 1
        return Answer(200, b"")

    receiver.respond = count
    queue_events(ws, 500)
    settings = make_delivery(smtp_url=None).settings
    start = threading.Barrier(2)
    deadline = time.monotonic() + 30
    failures: list[BaseException] = []

    def settled() -> bool:
        return all(r.status != PENDING for r in rows(database, ws.id))

    def run(name: str) -> None:
        own = Database(make_engine(database_url), concurrency=settings.db_concurrency)
        worker = Worker(own, settings)

        async def loop() -> None:
            # Each worker marks its requests, so the receiver sees both take part.
            async with httpx.AsyncClient(headers={"X-Worker": name}) as http:
                start.wait(10)
                while time.monotonic() < deadline:
                    if await worker.run_once(http) == 0:
                        if await anyio.to_thread.run_sync(settled):
                            return
                        await anyio.sleep(0.01)

        try:
            anyio.run(loop)
        except BaseException as exc:
            failures.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(40)
    assert not failures, failures
    assert len(processed) == 500
    assert set(processed.values()) == {1}, "a row was delivered twice"
    settled_rows = rows(database, ws.id)
    # attempts counts claims: 1 everywhere means no row was ever claimed by both workers.
    assert {(r.status, r.attempts) for r in settled_rows} == {(DONE, 1)}
    assert min(by_worker["a"], by_worker["b"]) > 0, by_worker
    assert by_worker["a"] + by_worker["b"] == 500


def test_a_killed_worker_leaves_its_rows_leased_and_another_delivers_them_after_the_lease(
    client: TestClient,
    database: Database,
    database_url: str,
    make_delivery: MakeDelivery,
    receiver: Receiver,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    ws = make_workspace(database)
    path = hook_path()
    register(client, ws.admin, receiver.url + path, ["thread.updated"])
    processed: Counter[str] = Counter()
    release = threading.Event()
    lock = threading.Lock()

    def slow(request: Request) -> Answer:
        with lock:
            processed[request.json()["id"]] += 1  # processed on receipt...
        release.wait(15)  # ...answered late: the sender is killed before it hears back
        return Answer(200, b"")

    receiver.respond = slow
    queue_events(ws, 30)
    lease = 2.0
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANEWAY_")}
    env.update({
        "LANEWAY_DATABASE_URL": database_url,
        "LANEWAY_SLACK_API_URL": receiver.url + "/api",
        "LANEWAY_OUTBOX_LEASE_SECONDS": str(lease),
        "LANEWAY_OUTBOX_BATCH": "10",
        "LANEWAY_OUTBOX_CONCURRENCY": "4",
        "LANEWAY_OUTBOX_POLL_SECONDS": "0.05",
    })  # fmt: skip
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "laneway", "worker"], cwd=tmp_path, env=env, stdout=log, stderr=log
        )
        try:
            wait_for(lambda: len(receiver.on(path)) >= 4, 20, "the worker's first requests")
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
    killed_at = utcnow()
    time.sleep(0.2)  # requests already on the wire still reach the receiver
    in_flight = set(processed)
    leased = {
        r.id
        for r in rows(database, ws.id)
        if r.status == PENDING and r.locked_until is not None and r.locked_until > killed_at
    }
    assert len(in_flight) >= 4
    assert len(leased) >= len(in_flight)
    release.set()

    # Another worker delivers the rows nobody holds, but not the leased ones while the lease lasts.
    delivery = make_delivery(smtp_url=None)
    delivery.run_until(
        lambda: {r.id for r in rows(database, ws.id) if r.status == PENDING} <= leased, timeout=lease
    )
    assert {r.id for r in rows(database, ws.id) if r.status == PENDING} == leased
    assert all(processed[e] == 1 for e in in_flight)

    settled = delivery.settle(ws.id, timeout=10)
    assert {r.status for r in settled} == {DONE}
    assert {r.attempts for r in settled if r.id in leased} == {2}  # claimed by each worker once
    assert len(processed) == 30  # nothing lost
    duplicates = {e for e, n in processed.items() if n > 1}
    assert duplicates == in_flight  # exactly the requests the killed worker never heard back from
    assert max(processed.values()) == 2
    record_property("duplicates_after_kill", len(duplicates))
    print(f"\n[{database.dialect}] {len(leased)} rows leased at the kill, {len(in_flight)} in flight; "
          f"{len(duplicates)} duplicate deliveries of 30")  # fmt: skip
