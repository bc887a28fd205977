"""Seed a workspace with N realistic threads through Laneway's own import service.

    .venv/bin/python bench/seed.py --database-url sqlite:///big.db --threads 1000000

Makes a workspace (its admin's API key is printed), projects, issues and companies with
domains, then imports N threads in batches with `laneway.threads.imports` (the code of
`laneway thread import`): each body goes through the same `CreateThread` validation as POST
/threads, and a second process makes and prepares each batch while this one writes the one
before. The threads' texts are 40 to 600 characters (about 300 on average), their contacts
spread over the companies (and some free-mail addresses), states and pain levels mixed, about
a third linked to a project and a tenth to an issue, created over the past three years.

Prints one JSON object: the workspace, key, ids to query, how many rows of each kind were
made and how long it took. With `--jsonl PATH` it makes the workspace and writes the same
bodies to PATH, one per line, for timing `laneway thread import --workspace ID PATH` itself.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from laneway.companies.service import create_company
from laneway.contacts.emails import cache_addresses
from laneway.issues.service import create_issue
from laneway.kit import tablestats
from laneway.kit.ahead import map_ahead
from laneway.kit.body import validate
from laneway.kit.db import Database, make_engine
from laneway.kit.migrate import upgrade
from laneway.projects.service import create_project
from laneway.threads.imports import ADDRESSES_CACHED, ImportItem, Prepared, keep_statistics, prepare, write
from laneway.threads.schemas import CreateThread
from laneway.workspaces.service import create_workspace

_PHRASES = (
    "export csv report dashboard slow loading login password reset invoice billing seat plan "
    "integration slack linear sync webhook api token error timeout mobile app crash dark mode "
    "filter search sort column permission admin team invite onboarding email notification "
    "weekly digest calendar roadmap feature request bug please would love could you when we "
    "our customers need this every day it fails again after the update thanks a lot great "
    "product but missing the ability to share link with external users"
)
WORDS = _PHRASES.split()
STATES = ["NEW"] * 40 + ["PROCESSED"] * 30 + ["COMPLETED"] * 25 + ["UNSNOOZED"] * 4 + ["SNOOZED"]
PAINS = ["UNKNOWN"] * 20 + ["LOW"] * 35 + ["MEDIUM"] * 30 + ["HIGH"] * 15
ORIGINS = ["API"] * 30 + ["INAPP"] * 25 + ["PORTAL"] * 15 + ["EMAIL"] * 15 + ["SLACK"] * 10 + ["ZAPIER"] * 5
FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me"]


def sentence(rng: random.Random, length: int) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length].strip().capitalize() + "."


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, help="distinct contacts (default threads / 10)")
    parser.add_argument("--companies", type=int, help="companies with a domain (default threads / 500)")
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--issues", type=int, default=50)
    parser.add_argument("--batch", type=int, default=20_000, help="threads per transaction (20,000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite-cache-mib", type=int, default=512, help="SQLite page cache of the import")
    parser.add_argument(
        "--jsonl",
        metavar="PATH",
        help="write the bodies to PATH as JSON lines (for `laneway thread import`) instead of importing them",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n_contacts = max(1, args.contacts or args.threads // 10)
    n_companies = max(1, args.companies or args.threads // 500)

    started = time.perf_counter()
    engine = make_engine(args.database_url, sqlite_cache_mib=args.sqlite_cache_mib)
    upgrade(engine)
    database = Database(engine)
    token = f"{rng.getrandbits(32):08x}"
    with database.unit_of_work() as session:
        made_workspace = create_workspace(
            session, name=f"Bench {token}", admin_email=f"admin@bench-{token}.example", title_quota=0
        )
        workspace, user, api_key = made_workspace.workspace, made_workspace.admin, made_workspace.clear_key
        projects = [create_project(session, workspace.id, name=f"Project {i}") for i in range(args.projects)]
        issues = [
            create_issue(session, workspace.id, title=f"Issue {i}", project_id=rng.choice(projects).id)
            for i in range(args.issues)
        ]
        domains = [f"customer{i}-{token}.example" for i in range(n_companies)]
        for i, domain in enumerate(domains):
            create_company(session, workspace.id, name=f"Customer {i}", domains=[domain])
        ids = {"workspaceId": workspace.id, "userId": user.id}
    setup_seconds = time.perf_counter() - started

    world = World(
        texts=[sentence(rng, int(rng.triangular(40, 600, 260))) for _ in range(5000)],
        titles=[sentence(rng, rng.randint(15, 60)) for _ in range(1000)],
        emails=[
            f"user{i}@{rng.choice(FREE_MAIL) if rng.random() < 0.25 else rng.choice(domains)}"
            for i in range(n_contacts)
        ],
        workspace_id=ids["workspaceId"],
        reporter_id=ids["userId"],
        project_ids=[p.id for p in projects],
        issue_ids=[i.id for i in issues],
        # An export from another inbox comes oldest first: three years up to an hour ago.
        start=datetime.now(UTC) - timedelta(hours=1) - timedelta(days=3 * 365),
        step=timedelta(days=3 * 365) / max(1, args.threads),
        seed=args.seed,
    )
    batches = [(first, min(args.batch, args.threads - first)) for first in range(0, args.threads, args.batch)]
    if args.jsonl:
        _adopt(world)
        with open(args.jsonl, "w", encoding="utf-8") as out:
            for first, size in batches:
                rng = _batch_rng(world, first)
                for n in range(first, first + size):
                    out.write(json.dumps(_body(rng, world, world.start + world.step * n)) + "\n")
        database.dispose()
        print(json.dumps({**ids, "apiKey": api_key, "jsonl": args.jsonl, "threads": args.threads}))
        return 0
    made = 0
    wait_seconds = import_seconds = 0.0
    thread_ids: list[str] = []
    # Bodies are made, validated and prepared in another process while this one writes the
    # batch before.
    produced = map_ahead(_prepared_batch, batches, initializer=_adopt, initargs=(world,))
    for _ in batches:
        t0 = time.perf_counter()
        batch = next(produced)
        t1 = time.perf_counter()
        with database.unit_of_work() as session:
            imported = write(session, batch)
        with database.unit_of_work() as session:
            keep_statistics(session, made, made + len(imported.thread_ids))
        t2 = time.perf_counter()
        wait_seconds += t1 - t0
        import_seconds += t2 - t1
        made += len(imported.thread_ids)
        # A thousand ids spread evenly over the whole seeded range, for the reads by id.
        thread_ids.extend(imported.thread_ids[:: max(1, args.threads // 1000)])
        print(f"seeded {made}/{args.threads}", file=sys.stderr, flush=True)
    produced.close()
    tablestats.after_bulk_load(engine)  # as `laneway thread import` ends
    total = time.perf_counter() - started
    database.dispose()
    print(
        json.dumps(
            {
                **ids,
                "apiKey": api_key,
                "projectIds": [p.id for p in projects],
                "issueIds": [i.id for i in issues],
                "threadIds": thread_ids[:1000],
                "threads": made,
                "contacts": n_contacts,
                "companies": n_companies,
                "seconds": round(total, 2),
                "setupSeconds": round(setup_seconds, 2),
                "waitSeconds": round(wait_seconds, 2),
                "importSeconds": round(import_seconds, 2),
            }
        )
    )
    return 0


@dataclass(frozen=True)
class World:
    """What the bodies are made of; shared with the process that makes them."""

    texts: list[str]
    titles: list[str]
    emails: list[str]
    workspace_id: str
    reporter_id: str
    project_ids: list[str]
    issue_ids: list[str]
    start: datetime
    step: timedelta
    seed: int


_world: World | None = None


def _adopt(world: World) -> None:
    global _world
    _world = world
    cache_addresses(ADDRESSES_CACHED)  # as `laneway thread import` does


def _prepared_batch(batch: tuple[int, int]) -> Prepared:
    """Threads first..first+size-1 as v1 bodies, validated by POST /threads' own schema and
    prepared for writing."""
    first, size = batch
    assert _world is not None
    rng = _batch_rng(_world, first)
    items = [
        ImportItem.of(validate(CreateThread, _body(rng, _world, _world.start + _world.step * n)))
        for n in range(first, first + size)
    ]
    return prepare(items, _world.workspace_id, _world.reporter_id)


def _batch_rng(world: World, first: int) -> random.Random:
    """The same bodies from thread `first` on, whether imported here or written out."""
    return random.Random(world.seed * 1_000_003 + first)


def _body(rng: random.Random, world: World, created: datetime) -> dict[str, Any]:
    body: dict[str, Any] = {
        "text": rng.choice(world.texts),
        "painLevel": rng.choice(PAINS),
        "contactEmail": rng.choice(world.emails),
        "state": rng.choice(STATES),
        "origin": rng.choice(ORIGINS),
        "createdAt": created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond // 1000:03d}Z",
    }
    if rng.random() < 0.5:
        body["title"] = rng.choice(world.titles)
    if rng.random() < 0.33:
        body["projectId"] = rng.choice(world.project_ids)
    if rng.random() < 0.1 and world.issue_ids:
        body["issueId"] = rng.choice(world.issue_ids)
    return body


if __name__ == "__main__":
    sys.exit(main())
