"""`laneway thread import`: threads from another inbox, one v1 create body per line."""

from __future__ import annotations

import argparse
import codecs
import itertools
import json
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from laneway.config import Settings
from laneway.contacts.emails import cache_addresses
from laneway.kit import tablestats
from laneway.kit.ahead import map_ahead
from laneway.kit.body import decode_json_object, validate
from laneway.kit.db import Database, make_engine
from laneway.kit.errors import AppError, BadRequest, NotFound
from laneway.members import repository as members
from laneway.threads.imports import (
    ADDRESSES_CACHED,
    Imported,
    ImportItem,
    Prepared,
    keep_statistics,
    prepare,
    write,
)
from laneway.threads.schemas import CreateThread
from laneway.workspaces import repository as workspaces

IMPORT_CACHE_MIB = 256  # SQLite's page cache while importing: the indexes stay in memory


def cmd_thread_import(database: Database, settings: Settings, args: argparse.Namespace) -> int:
    """Import JSON lines in batches, each committed on its own. A line that is not a valid
    create body stops the import before its batch; what was imported before it stays, and the
    message says how to go on from there. A second process reads, validates and prepares the
    next batches while this one writes."""
    database.dispose()
    database = Database(
        make_engine(settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                    sqlite_cache_mib=IMPORT_CACHE_MIB)
    )  # fmt: skip
    with database.unit_of_work(write=False) as session:
        reporter_id = _reporter(session, args.workspace, args.email)
    database.dispose()  # the preparing process is forked with no database connection to inherit
    started = time.perf_counter()
    imported = contacts = 0
    # Bytes, decoded line by line: a line that is not UTF-8 is a bad line like any other.
    source: IO[bytes] = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    next_line = args.skip + 1
    stop = _StopAtBatchEnd()
    try:
        lines = itertools.islice(enumerate(source, start=1), args.skip, None)
        setup = _Setup(args.workspace, reporter_id, settings.snooze_period, settings.max_body_bytes)
        batches = map_ahead(_prepare, _batches(lines, args.batch), initializer=_adopt, initargs=(setup,))
        while prepared := _next_batch(batches, imported, next_line):
            if isinstance(prepared, _Bad):
                raise _stopped(prepared.reason, imported, prepared.first, "fix the line and ")
            result = _write_batch(database, prepared, imported)
            imported += len(result.thread_ids)
            contacts += result.contacts_created
            next_line = prepared.last + 1
            if stop.signal:
                break
            with database.unit_of_work() as session:
                keep_statistics(session, imported - len(result.thread_ids), imported)
            if sys.stderr.isatty():
                print(f"laneway: imported {imported} threads", file=sys.stderr, flush=True)
        if imported and not stop.signal:  # stopping: the server's own upkeep refreshes statistics
            tablestats.after_bulk_load(database.engine)
    finally:
        stop.restore()
        if source is not sys.stdin.buffer:
            source.close()
        database.dispose()
    if stop.signal:
        print(f"laneway: interrupted. {_done(imported, next_line)}: go on with --skip {next_line - 1}",
              file=sys.stderr)  # fmt: skip
        return 128 + stop.signal
    print(json.dumps({"imported": imported, "contactsCreated": contacts,
                      "seconds": round(time.perf_counter() - started, 2)}))  # fmt: skip
    return 0


class _StopAtBatchEnd:
    """Ctrl-C (SIGINT) or SIGTERM asks the import to stop once the batch being written is
    committed and counted, so that what it says was imported is what was. A second signal
    acts as usual (and rolls back the batch)."""

    def __init__(self) -> None:
        self.signal = 0
        self._previous = {sig: signal.signal(sig, self._ask) for sig in (signal.SIGINT, signal.SIGTERM)}

    def _ask(self, signum: int, frame: object) -> None:
        self.signal = signum
        self.restore()

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


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


@dataclass(frozen=True)
class _Setup:
    workspace_id: str
    reporter_id: str
    snooze_period: timedelta
    max_line_bytes: int  # LANEWAY_MAX_BODY_BYTES, as for a body sent to POST /threads


@dataclass(frozen=True)
class _Lines:
    """A batch prepared for writing, with the numbers of its first and last lines."""

    first: int
    last: int
    batch: Prepared


@dataclass(frozen=True)
class _Bad:
    """A batch with a line that is not a valid create body."""

    first: int  # the batch's first line
    reason: str


_setup: _Setup | None = None


def _adopt(setup: _Setup) -> None:
    """The preparing process: what every batch is prepared for, and room for its contacts."""
    global _setup
    _setup = setup
    cache_addresses(ADDRESSES_CACHED)


def _prepare(batch: list[tuple[int, bytes]]) -> _Lines | _Bad:
    assert _setup is not None
    items = []
    for number, line in batch:
        body = line.strip()
        if number == 1:
            body = body.removeprefix(codecs.BOM_UTF8)  # some editors begin a UTF-8 file with one
        if len(body) > _setup.max_line_bytes:
            limit = f"larger than {_setup.max_line_bytes} bytes, the most a POST /threads body may have"
            return _Bad(batch[0][0], f"line {number}: {limit} (LANEWAY_MAX_BODY_BYTES)")
        try:
            items.append(ImportItem.of(validate(CreateThread, decode_json_object(body))))
        except AppError as exc:
            problems = "; ".join(f"{'.'.join(map(str, i.path))}: {i.message}" for i in exc.issues)
            return _Bad(batch[0][0], f"line {number}: {problems or exc.message}")  # its batch is not written
    prepared = prepare(items, _setup.workspace_id, _setup.reporter_id, _setup.snooze_period)
    return _Lines(batch[0][0], batch[-1][0], prepared)


def _next_batch(batches: Iterator[_Lines | _Bad], imported: int, next_line: int) -> _Lines | _Bad | None:
    try:
        return next(batches, None)
    except BrokenProcessPool:  # the preparing process died (the kernel's OOM killer, say)
        reason = f"the process preparing the lines from {next_line} on stopped unexpectedly (out of memory?)"
        raise _stopped(reason, imported, next_line, "") from None


def _write_batch(database: Database, lines: _Lines, imported: int) -> Imported:
    """One batch in one transaction; whatever stops it says how to go on from its first line."""
    try:
        return database.transact(lambda session: write(session, lines.batch))
    except AppError as exc:  # an id the workspace does not have
        reason = f"lines {lines.first}-{lines.last}: {exc.message}"
        raise _stopped(reason, imported, lines.first, "fix it and ") from None
    except SQLAlchemyError as exc:  # the database failed the batch, and none of it was written
        reason = (
            f"lines {lines.first}-{lines.last} were not imported: {type(exc).__name__}: {_first_line(exc)}"
        )
        raise _stopped(reason, imported, lines.first, "") from None


def _stopped(reason: str, imported: int, line: int, fix: str) -> BadRequest:
    return BadRequest(f"{reason}. {_done(imported, line)}: {fix}go on with --skip {line - 1}")


def _done(imported: int, line: int) -> str:
    return f"This run imported {imported} thread{'' if imported == 1 else 's'}, none from line {line} on"


def _first_line(exc: Exception) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else ""


def _batches(lines: Iterator[tuple[int, bytes]], size: int) -> Iterator[list[tuple[int, bytes]]]:
    """Batches of `size` lines that are not blank (blank lines, however many, are skipped)."""
    batch: list[tuple[int, bytes]] = []
    for number, line in lines:
        if line.strip():
            batch.append((number, line))
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch
