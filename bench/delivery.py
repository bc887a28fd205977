"""Outbox delivery benchmark: one worker's throughput, and the delay from commit to delivery.

    .venv/bin/python bench/delivery.py                       # SQLite
    .venv/bin/python bench/delivery.py --database postgres   # a fresh PostgreSQL database

1. Throughput: `laneway worker` (its own process, default batch and concurrency) delivers
   `--rows` webhook rows, queued in one transaction while it idles, to a local receiver;
   rows/s = rows / (time from that commit until every row is DONE).
2. Latency: the API served by uvicorn with the worker inside (run_worker=True, as `laneway
   serve` runs it); `--threads` threads are created through POST /api/v1/threads with
   notify.slack, one every 1/`--rate` s; for each, the delay from the commit of its
   transaction (an SQLAlchemy after_commit hook in the server) to the Slack post reaching the
   receiver. The poll interval is left at its default: prompt delivery comes from the commit
   waking the worker.

The receiver (a stand-in for Slack and the webhook endpoints) runs in a separate process and
stamps each request with time.monotonic(), a system-wide clock on Linux, so its times compare
with the server's. Nothing is written outside a temp dir; a PostgreSQL database
`laneway_bench_delivery_<random>` is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import uvicorn
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from laneway.app import create_app
from laneway.config import Settings
from laneway.kit.db import Database, make_engine
from laneway.kit.migrate import upgrade
from laneway.outbox.models import DONE, OutboxMessage
from laneway.threads.models import Thread
from laneway.webhooks.schemas import CreateWebhook
from laneway.webhooks.service import create_webhook, emit
from laneway.workspaces.service import create_workspace

PG = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"

# The receiver: answers 200 ({"ok": true} for chat.postMessage) and prints "<monotonic> <key>"
# per request, the key being the webhook event id or the thread id in the Slack post's link.
RECEIVER = r"""
import json, re, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
THREAD = re.compile(r"/threads/([0-9a-z]+)\|")
lock = threading.Lock()
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        now = time.monotonic()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.endswith("/chat.postMessage"):
            found = THREAD.search(json.loads(body).get("text", ""))
            key, answer = (found.group(1) if found else "?"), b'{"ok":true}'
        else:
            key, answer = self.headers.get("Laneway-Event-Id", "?"), b""
        with lock:
            sys.stdout.write(f"{now} {key}\n")
            sys.stdout.flush()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class Receiver:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", RECEIVER], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert self.process.stdout is not None
        self.url = f"http://127.0.0.1:{int(self.process.stdout.readline())}"
        self.seen: dict[str, float] = {}  # key -> first receipt
        self.requests = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            stamp, key = line.split()
            self.requests += 1
            self.seen.setdefault(key, float(stamp))

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"laneway_bench_delivery_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.005)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def done_rows(database: Database) -> int:
    with database.unit_of_work(write=False) as session:
        return int(session.scalar(select(func.count()).where(OutboxMessage.status == DONE)) or 0)


def throughput(
    url: str, database: Database, receiver: Receiver, rows: int, workdir: Path
) -> dict[str, float]:
    with database.unit_of_work() as session:
        made = create_workspace(session, name="Bench hooks", admin_email="admin@bench.example")
        create_webhook(session, made.workspace.id, CreateWebhook(url=receiver.url + "/hook", events=["*"]))
        workspace_id = made.workspace.id
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANEWAY_")}
    env.update(
        LANEWAY_DATABASE_URL=url, LANEWAY_OUTBOX_POLL_SECONDS="0.05", LANEWAY_SNOOZE_CHECK_SECONDS="3600"
    )
    laneway = Path(sys.executable).with_name("laneway")
    worker = subprocess.Popen(
        [str(laneway), "worker"], cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        time.sleep(2.0)  # started, migrated, idle
        cpu_before = cpu_seconds(worker.pid)
        with database.unit_of_work() as session:
            for i in range(rows):
                emit(session, workspace_id, "thread.updated", {"n": i, "padding": "x" * 200})
        committed = time.monotonic()
        wait(lambda: len(receiver.seen) >= rows, 300, "every webhook request")
        last_request = max(receiver.seen.values())
        wait(lambda: done_rows(database) >= rows, 60, "every row DONE")
        all_done = time.monotonic()
        cpu = cpu_seconds(worker.pid) - cpu_before
    finally:
        worker.terminate()
        worker.wait(10)
    return {
        "rows": rows,
        "requests": receiver.requests,
        "seconds": all_done - committed,
        "rows_per_s": rows / (all_done - committed),
        "worker_cpu_ms_per_row": cpu / rows * 1000,
        "first_request_after_commit_ms": (min(receiver.seen.values()) - committed) * 1000,
        "last_request_to_all_done_ms": (all_done - last_request) * 1000,
    }


def latency(url: str, database: Database, receiver: Receiver, threads: int, rate: float) -> dict[str, float]:
    with database.unit_of_work() as session:
        made = create_workspace(
            session, name="Bench slack", admin_email="admin@slack.example", slack_channel="CBENCH",
            slack_token="xoxb-bench", title_quota=0,
        )  # fmt: skip
        key = made.clear_key
    commits: dict[str, float] = {}

    def note(session: Session, _context: object, _objects: object) -> None:  # threads it inserts
        session.info.setdefault("bench_threads", []).extend(
            o.id for o in session.new if isinstance(o, Thread)
        )

    def stamp(session: Session) -> None:
        now = time.monotonic()
        for thread_id in session.info.pop("bench_threads", []):
            commits.setdefault(thread_id, now)

    event.listen(Session, "before_flush", note)
    event.listen(Session, "after_commit", stamp)
    settings = Settings(
        database_url=url, slack_api_url=receiver.url + "/api", run_worker=True, run_clock_jobs=False
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning", access_log=False))
    serving = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    serving.start()
    wait(lambda: server.started, 20, "the server")
    ids: list[str] = []
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:
            start = time.monotonic()
            for i in range(threads):
                time.sleep(max(0.0, start + i / rate - time.monotonic()))
                body = {
                    "text": f"Bench thread {i}: the export & import <sometimes> fail",
                    "title": f"Bench {i}",
                    "painLevel": "HIGH",
                    "contactEmail": f"customer{i}@bench.example",
                    "notify": {"slack": True},
                }
                response = client.post("/api/v1/threads", json=body)
                response.raise_for_status()
                ids.append(response.json()["id"])
        wait(lambda: all(i in receiver.seen for i in ids), 60, "every Slack post")
    finally:
        server.should_exit = True
        serving.join(10)
        event.remove(Session, "after_commit", stamp)
        event.remove(Session, "before_flush", note)
    delays = sorted((receiver.seen[i] - commits[i]) * 1000 for i in ids)
    return {
        "threads": threads,
        "rate_per_s": rate,
        "median_ms": statistics.median(delays),
        "p99_ms": delays[min(len(delays) - 1, int(len(delays) * 0.99))],
        "max_ms": delays[-1],
        "min_ms": delays[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=1000, help="webhook rows for the throughput run")
    parser.add_argument("--threads", type=int, default=200, help="threads created for the latency run")
    parser.add_argument("--rate", type=float, default=20.0, help="threads created per second")
    args = parser.parse_args()
    receiver = Receiver()
    try:
        with fresh_database(args.database) as url, tempfile.TemporaryDirectory() as workdir:
            database = Database(make_engine(url))
            upgrade(database.engine)
            speed = throughput(url, database, receiver, args.rows, Path(workdir))
            delay = latency(url, database, receiver, args.threads, args.rate)
            database.dispose()
    finally:
        receiver.close()
    print(f"database: {args.database}, {os.cpu_count()} cores")
    print(
        f"throughput, one `laneway worker`, webhook rows: {speed['rows']} rows in {speed['seconds']:.2f} s"
        f" = {speed['rows_per_s']:.0f} rows/s (first request {speed['first_request_after_commit_ms']:.0f} ms"
        f" after the commit; {speed['requests']} requests; the worker process used"
        f" {speed['worker_cpu_ms_per_row']:.1f} ms of CPU per row)"
    )
    print(
        f"commit -> Slack delivery, worker inside the server, {delay['threads']} threads at"
        f" {delay['rate_per_s']:g}/s: median {delay['median_ms']:.1f} ms, p99 {delay['p99_ms']:.1f} ms,"
        f" max {delay['max_ms']:.1f} ms (min {delay['min_ms']:.1f} ms)"
    )


if __name__ == "__main__":
    main()
