"""Engines, sessions and the unit of work, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

WRITE_OPTION = "laneway_write"
logger = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 3  # a unit of work the database ends for a deadlock or a serialization conflict is run this often
_RETRYABLE = {"40P01", "40001"}  # deadlock_detected, serialization_failure


def normalise_url(url: str | URL) -> URL:
    """`postgresql://` means psycopg 3 here (SQLAlchemy alone would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(
    url: str | URL,
    *,
    sqlite_busy_timeout_ms: int = 30_000,
    pool_size: int = 10,
    sqlite_cache_mib: int | None = None,
) -> Engine:
    """`sqlite_cache_mib` sets each SQLite connection's page cache (SQLite's default is 2 MiB;
    a bulk import into a large database wants far more)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": 0},
            pool_size=pool_size + 1,
            max_overflow=4,
        )
        _configure_sqlite(engine, sqlite_busy_timeout_ms, sqlite_cache_mib)
        return engine
    return create_engine(parsed, pool_size=pool_size, max_overflow=4, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, cache_mib: int | None) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # We issue BEGIN ourselves (below) so that writes take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if cache_mib is not None:
            cursor.execute(f"PRAGMA cache_size = {-1024 * int(cache_mib)}")  # negative: KiB
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A write transaction that starts DEFERRED and upgrades later can fail with
        # SQLITE_BUSY without waiting; BEGIN IMMEDIATE queues behind the busy timeout instead.
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


class WriterQueue:
    """SQLite's writers, of every process on one database file, one at a time in arrival order.

    SQLite lets one writer in and makes the others poll, sleeping up to 100 ms between tries,
    so with several server processes a write waits for the poll, not for the write before it.
    Here each write transaction first takes an exclusive `flock` on `<database>-writer.lock`,
    which the kernel hands to the next waiter the moment it is released. SQLite's own locking
    still guards the data: a writer that does not queue here (a migration, another tool) is
    waited for with the busy timeout as before."""

    def __init__(self, database_path: str) -> None:
        self.path = database_path + "-writer.lock"
        self._in_process = threading.Lock()  # one fd per process: flock does not queue threads
        self._fd: int | None = None
        self._pid = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        import fcntl

        with self._in_process:
            fd = self._file()
            if fd is None:  # no lock file here (a read-only directory): SQLite's polling alone
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _file(self) -> int | None:
        if self._pid != os.getpid():  # a forked child opens its own
            self._pid = os.getpid()
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError as exc:
                self._fd = None
                logger.warning("SQLite writers will not queue: cannot open %s (%s)", self.path, exc)
        return self._fd


def writer_queue(engine: Engine) -> WriterQueue | None:
    """The writer queue of a SQLite database file (none for in-memory databases, PostgreSQL,
    or platforms without flock)."""
    if not is_sqlite(engine) or os.name != "posix":
        return None
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return WriterQueue(os.path.abspath(path))


class Database:
    """The engine and the two session factories: read transactions and write transactions."""

    def __init__(self, engine: Engine, *, concurrency: int = 10) -> None:
        self.engine = engine
        self.concurrency = concurrency
        self._writer_queue = writer_queue(engine)
        self._limiters: WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[anyio.CapacityLimiter, anyio.CapacityLimiter]
        ] = WeakKeyDictionary()
        self._reads = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
        self._writes = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False, autoflush=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back otherwise."""
        queue: AbstractContextManager[None] = (
            self._writer_queue.turn() if write and self._writer_queue is not None else nullcontext()
        )
        with queue:
            session = (self._writes if write else self._reads)()
            try:
                yield session
                # A read transaction commits too: psycopg forgets the statements it has prepared
                # on a connection at every ROLLBACK, and reads would be parsed and planned anew.
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    async def run(self, work: Callable[[Session], T], *, write: bool = True) -> T:
        """Run `work(session)` as one unit of work on a worker thread: begin, work, commit (or
        roll back) all in that one call, so no thread or connection is held across awaits.

        Requests beyond the connection pool queue here, on the event loop, instead of in
        threads that would each hold a pool slot or a lock while waiting for another. SQLite
        takes one writer at a time anyway, so its writers queue here rather than spin on the
        busy timeout."""
        return await anyio.to_thread.run_sync(self.transact, work, write, limiter=self._limiter(write))

    def transact(self, work: Callable[[Session], T], write: bool = True) -> T:
        """`work(session)` as one unit of work, run again (up to ATTEMPTS times in all) when
        PostgreSQL ends its transaction to break a deadlock or a serialization conflict: nothing
        of it was written. `work` must touch nothing outside its session."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.unit_of_work(write=write) as session:
                    return work(session)
            except DBAPIError as exc:
                if attempt == ATTEMPTS or getattr(exc.orig, "sqlstate", None) not in _RETRYABLE:
                    raise
                logger.warning(
                    "transaction ended by the database (%s); running it again", type(exc.orig).__name__
                )
        raise AssertionError("unreachable")

    def _limiter(self, write: bool) -> anyio.CapacityLimiter:
        loop = asyncio.get_running_loop()
        pair = self._limiters.get(loop)
        if pair is None:
            reads = anyio.CapacityLimiter(self.concurrency)
            writes = anyio.CapacityLimiter(1) if is_sqlite(self.engine) else reads
            pair = self._limiters[loop] = (reads, writes)
        return pair[1] if write else pair[0]

    def on_commit_of(self, flag: str, callback: Callable[[], object]) -> Callable[[], None]:
        """Call `callback` after each write transaction that set `session.info[flag]` commits
        (the outbox wakes its worker this way), on the committing thread. Returns the function
        that stops it."""

        def after_commit(session: Session) -> None:
            if session.info.pop(flag, False):
                with suppress(RuntimeError):  # the listener's event loop has closed meanwhile
                    callback()

        event.listen(self._writes, "after_commit", after_commit)
        return lambda: event.remove(self._writes, "after_commit", after_commit)

    def dispose(self) -> None:
        self.engine.dispose()
