"""`laneway thread import`: threads from another inbox, one v1 create body per line."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Iterator
from typing import IO

from sqlalchemy.orm import Session

from laneway.config import Settings
from laneway.kit import tablestats
from laneway.kit.body import decode_json_object, validate
from laneway.kit.db import Database, make_engine
from laneway.kit.errors import AppError, BadRequest, NotFound
from laneway.members import repository as members
from laneway.threads.imports import ImportItem, import_threads, keep_statistics
from laneway.threads.schemas import CreateThread
from laneway.workspaces import repository as workspaces

IMPORT_CACHE_MIB = 256  # SQLite's page cache while importing: the indexes stay in memory


def cmd_thread_import(database: Database, settings: Settings, args: argparse.Namespace) -> int:
    """Import JSON lines in batches, each committed on its own. A line that is not a valid
    create body stops the import before its batch; what was imported before it stays, and the
    message says how to go on from there."""
    database.dispose()
    database = Database(
        make_engine(settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                    sqlite_cache_mib=IMPORT_CACHE_MIB)
    )  # fmt: skip
    with database.unit_of_work(write=False) as session:
        reporter_id = _reporter(session, args.workspace, args.email)
    started = time.perf_counter()
    imported = contacts = 0
    source: IO[str] = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    try:
        lines = itertools.islice(enumerate(source, start=1), args.skip, None)
        for batch in _batches(lines, args.batch):
            try:
                items = [_item(number, line) for number, line in batch]
            except AppError as exc:
                raise BadRequest(
                    f"{exc.message}. The {imported} threads before line {batch[0][0]} were imported:"
                    f" fix the line and go on with --skip {batch[0][0] - 1}"
                ) from None
            with database.unit_of_work() as session:
                result = import_threads(session, args.workspace, reporter_id, items, settings.snooze_period)
            with database.unit_of_work() as session:
                keep_statistics(session, imported, imported + len(result.thread_ids))
            imported += len(result.thread_ids)
            contacts += result.contacts_created
            if sys.stderr.isatty():
                print(f"laneway: imported {imported} threads", file=sys.stderr, flush=True)
        if imported:
            tablestats.after_bulk_load(database.engine)
    finally:
        if source is not sys.stdin:
            source.close()
        database.dispose()
    print(json.dumps({"imported": imported, "contactsCreated": contacts,
                      "seconds": round(time.perf_counter() - started, 2)}))  # fmt: skip
    return 0


def _reporter(session: Session, workspace_id: str, email: str | None) -> str:
    """The member the threads are reported by: the one named, or the workspace's first admin."""
    if workspaces.get(session, workspace_id) is None:
        raise NotFound(f"No workspace with id {workspace_id}")
    if email is None:
        admin = members.first_admin(session, workspace_id)
        if admin is None:
            raise NotFound(f"Workspace {workspace_id} has no admin to report the threads")
        return admin
    membership = members.membership_by_email(session, workspace_id, email.strip().lower())
    if membership is None:
        raise NotFound(f"{email} is not a member of workspace {workspace_id}")
    return membership.user_id


def _batches(lines: Iterator[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    while batch := [pair for pair in itertools.islice(lines, size) if pair[1].strip()]:
        yield batch


def _item(number: int, line: str) -> ImportItem:
    try:
        return ImportItem.of(
            validate(CreateThread, decode_json_object(line.encode("utf-8", "surrogatepass")))
        )
    except AppError as exc:
        problems = "; ".join(f"{'.'.join(map(str, i.path))}: {i.message}" for i in exc.issues)
        raise BadRequest(f"line {number}: {problems or exc.message}") from None
