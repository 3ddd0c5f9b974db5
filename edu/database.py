"""Database engine tuning: SQLite pragmas and explicit write transactions.

SQLite runs in WAL mode with foreign keys on and a busy timeout. Requests that write (any method but
GET/HEAD/OPTIONS) and CLI commands open their transaction with BEGIN IMMEDIATE, so two writers queue instead of
failing on a lock upgrade; read-only requests use a deferred BEGIN so they never block each other.

Writers queue in a ``WriteQueue`` before ``BEGIN IMMEDIATE``, not in SQLite's busy handler: the handler sleeps
1, 2, 5, 10, ... ms between tries, so the write lock sits free while a dozen writers sleep; the queue wakes the
next writer the moment the last one commits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from edu.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_read_only: ContextVar[bool] = ContextVar("edu_read_only", default=False)
_guarded: ContextVar[bool] = ContextVar("edu_guarded", default=False)


class WriteOutsideWriting(RuntimeError):
    """A request wrote inside its read transaction: writes belong in ``with writing():``."""


def mark_request_read_only(method: str, reads_first: bool = False, guarded: bool = False) -> None:
    """Set how the request's transaction begins: a read (GET, HEAD, OPTIONS, or a view marked `reads_first`) or
    a write. With ``guarded``, a write statement inside a read transaction raises `WriteOutsideWriting`."""
    read_only = method in READ_ONLY_METHODS or reads_first
    _read_only.set(read_only)
    _guarded.set(guarded and read_only)


def reads_first(view):
    """Mark a busy write view (a quiz submit, a lesson step) to begin with a read transaction: it checks who is
    asking and what is assigned without SQLite's write lock, then writes in ``with writing():``, so the one write
    lock is held only for the writes."""
    view.edu_reads_first = True
    return view


@contextmanager
def writing() -> Iterator[None]:
    """The one way a request that began reading writes: the read transaction ends (nothing written yet; loaded
    objects stay as read), a write transaction begins (``BEGIN IMMEDIATE`` on SQLite, so it cannot fail on a lock
    upgrade after another writer committed), the block runs, and the write commits when the block ends (or rolls
    back if it raises); what the request reads afterwards is a read again. In a request that began writing (a
    POST), it runs the block and commits."""

    session = db.session()
    was_read_only, was_guarded = _read_only.get(), _guarded.get()
    if was_read_only:
        expire = session.expire_on_commit
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire
        _read_only.set(False)
        _guarded.set(False)
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    else:
        session.commit()
    finally:
        _read_only.set(was_read_only)
        _guarded.set(was_guarded)


_WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _refuse_writes_while_reading(_connection, _cursor, statement: str, *_args) -> None:
    if _guarded.get() and statement.lstrip()[:7].upper().startswith(_WRITE_STATEMENTS):
        raise WriteOutsideWriting("a write inside a read transaction: put it in `with writing():` "
                                  f"({statement.split(None, 3)[:3]})")


class WriteQueue:
    """One SQLite writer at a time across every thread and process that uses the database file.

    Inside a process the writers wait on a lock (with the busy timeout as its limit, so a bug that writes
    through two connections at once fails as "database is locked" rather than hanging); the thread holding it
    then takes an exclusive ``flock`` on ``<database>-writequeue``, which waits for the other processes' writer.
    Both wake their next waiter at once on release, and the kernel drops a killed process's ``flock``. The
    queue is only an order of arrival: SQLite's own lock still guards the data, so a writer that bypasses the
    queue (a read transaction that writes, the sqlite3 shell) is merely slower. The lock file is never the
    database file itself: closing any descriptor of that file would drop SQLite's POSIX locks in this process.
    """

    def __init__(self, database_path: str, timeout: float):
        self.lock_path = f"{database_path}-writequeue"
        self.timeout = timeout
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        """A forked worker starts with its own lock and its own open file (a shared one would share the flock)."""
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    def acquire(self) -> None:
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked (waited for the write queue)")
        try:
            if self._fd is None:
                self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)  # releases the GIL while it waits
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


_QUEUED = "edu_write_queue_held"
BUSY_TIMEOUT_S = 10


def configure_engine(engine: Engine, check_writes: bool = False) -> None:
    """SQLite's pragmas and write queue; with ``check_writes`` (tests, development), any database refuses a write
    statement inside a guarded read transaction."""
    if check_writes:
        event.listen(engine, "before_cursor_execute", _refuse_writes_while_reading)
    if engine.dialect.name != "sqlite":
        return
    database = engine.url.database
    queue = WriteQueue(os.path.abspath(database), BUSY_TIMEOUT_S) if database and database != ":memory:" else None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        # Sent on the driver's connection: SQLAlchemy's statement machinery would cost more than the BEGIN.
        driver = connection.connection.driver_connection
        if _read_only.get() or queue is None:
            driver.execute("BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")
            return
        queue.acquire()
        try:
            driver.execute("BEGIN IMMEDIATE")
        except BaseException:
            queue.release()
            raise
        connection.connection.info[_QUEUED] = True

    def _end_and_leave_queue(dbapi_connection, info: dict, end) -> None:
        """COMMIT or ROLLBACK here, then let the next writer in (SQLAlchemy's own call after this event finds
        no transaction open and does nothing)."""
        if not info.pop(_QUEUED, False):
            return
        try:
            end(dbapi_connection)
        finally:
            queue.release()

    def _ending_with(end):
        """A "commit" or "rollback" handler that ends the transaction with ``end`` and leaves the queue."""
        def handler(connection: Connection):
            fairy = connection.connection
            _end_and_leave_queue(fairy.dbapi_connection, fairy.info, end)

        return handler

    if queue is not None:
        event.listen(engine, "commit", _ending_with(lambda dbapi: dbapi.commit()))
        event.listen(engine, "rollback", _ending_with(lambda dbapi: dbapi.rollback()))

        @event.listens_for(engine, "checkin")
        def _on_checkin(dbapi_connection, record):
            """A connection returned with its write transaction still open (an error on the way out)."""
            if record is not None and dbapi_connection is not None:
                # On an error the queue is still left; the pool's own reset rolls back or discards the connection.
                with contextlib.suppress(sqlite3.Error):
                    _end_and_leave_queue(dbapi_connection, record.info, lambda dbapi: dbapi.rollback())

        @event.listens_for(engine, "invalidate")
        def _on_invalidate(_dbapi_connection, record, _exception):
            """A connection discarded after an error: closing it ends its transaction."""
            if record.info.pop(_QUEUED, False):
                queue.release()


def get_or_create(model, defaults: dict | None = None, **keys):
    """The row with these unique keys, created (with ``defaults``) if missing.

    Safe when two requests race: the loser's insert hits the unique constraint inside a savepoint and it reads
    the winner's row instead. Flushes, never commits.
    """

    query = select(model).filter_by(**keys)
    row = db.session.scalar(query)
    if row is not None:
        return row
    row = model(**keys, **(defaults or {}))
    try:
        with db.session.begin_nested():  # the row is added inside the savepoint, so a clash discards it
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        row = db.session.scalar(query)
    return row


def dialect_insert(model):
    """``INSERT`` for ``model`` with the current database's ``ON CONFLICT`` clauses (SQLite or PostgreSQL)."""

    insert = sqlite.insert if db.session.get_bind().dialect.name == "sqlite" else postgresql.insert
    return insert(model)


def core_execute(statement, params: dict | list[dict]):
    """Run a Core statement (a SELECT of columns, an INSERT, an UPDATE; not one of mapped objects) on the
    session's connection and transaction: it skips the ORM's per-statement and bulk machinery, about half the
    cost of a small statement. It does not flush the session first, so use it where nothing pending in the
    session touches the same rows."""

    return db.session.connection().execute(statement, params)


_BUILT: dict[tuple, object] = {}


def built_once(key: tuple, build):
    """The statement ``build()`` makes, built once per database dialect and ``key``: building an INSERT ... ON
    CONFLICT or an UPDATE costs SQLAlchemy more than running it. Use bound parameters for what
    changes between calls."""

    full_key = (db.session.get_bind().dialect.name, *key)
    statement = _BUILT.get(full_key)
    if statement is None:
        statement = _BUILT[full_key] = build()
    return statement


def upsert(model, rows: list[dict], keys: tuple[str, ...], update: tuple[str, ...]) -> None:
    """Insert ``rows``, or update their ``update`` columns where a row with the same unique ``keys`` exists.

    One multi-row ``INSERT ... ON CONFLICT DO UPDATE`` statement on SQLite and PostgreSQL alike, so a batch costs
    one round trip and concurrent writers of the same row cannot clash. Rows loaded into the session before are
    not refreshed: read what you need with Core selects.
    """
    if not rows:
        return

    def build():
        statement = dialect_insert(model)
        return statement.on_conflict_do_update(
            index_elements=list(keys), set_={column: statement.excluded[column] for column in update})

    # Executed with a list of rows: the driver's executemany, with the statement compiled once.
    core_execute(built_once(("upsert", model, keys, update), build), rows)
