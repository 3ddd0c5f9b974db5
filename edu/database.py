"""Database engine tuning: SQLite pragmas and explicit write transactions.

SQLite runs in WAL mode with foreign keys on and a busy timeout. Requests that write (any method but
GET/HEAD/OPTIONS) and CLI commands open their transaction with BEGIN IMMEDIATE, so two writers queue on the
busy timeout instead of failing on a lock upgrade; read-only requests use a deferred BEGIN so they never
block each other.
"""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_read_only: ContextVar[bool] = ContextVar("edu_read_only", default=False)


def mark_request_read_only(method: str, reads_first: bool = False) -> None:
    _read_only.set(method in READ_ONLY_METHODS or reads_first)


def reads_first(view):
    """Mark a busy write view (a quiz submit, a lesson step) to begin with a read transaction: it checks who is
    asking and what is assigned without SQLite's write lock, then calls ``start_writing()`` before it writes,
    so the one write lock is held only for the writes."""
    view.edu_reads_first = True
    return view


def start_writing() -> None:
    """End the request's read transaction (nothing written yet) and let the next statement begin a write one
    (``BEGIN IMMEDIATE`` on SQLite; on PostgreSQL only a new transaction). Loaded objects stay as read."""
    from edu.extensions import db

    if not _read_only.get():
        return
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
    _read_only.set(False)


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")


def get_or_create(model, defaults: dict | None = None, **keys):
    """The row with these unique keys, created (with ``defaults``) if missing.

    Safe when two requests race: the loser's insert hits the unique constraint inside a savepoint and it reads
    the winner's row instead. Flushes, never commits.
    """
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from edu.extensions import db

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
    from sqlalchemy.dialects import postgresql, sqlite

    from edu.extensions import db

    insert = sqlite.insert if db.session.get_bind().dialect.name == "sqlite" else postgresql.insert
    return insert(model)


def upsert(model, rows: list[dict], keys: tuple[str, ...], update: tuple[str, ...]) -> None:
    """Insert ``rows``, or update their ``update`` columns where a row with the same unique ``keys`` exists.

    One multi-row ``INSERT ... ON CONFLICT DO UPDATE`` statement on SQLite and PostgreSQL alike, so a batch costs
    one round trip and concurrent writers of the same row cannot clash. Rows loaded into the session before are
    not refreshed: read what you need with Core selects.
    """
    if not rows:
        return
    from edu.extensions import db

    statement = dialect_insert(model)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={column: statement.excluded[column] for column in update})
    # Executed with a list of rows: SQLAlchemy sends them as one multi-row INSERT ("insertmanyvalues"), and
    # the statement's compiled form is cached since it does not depend on the number of rows.
    db.session.execute(statement, rows)
