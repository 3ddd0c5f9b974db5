"""Prepared reads: the few SELECTs every student request runs, sent straight to the database driver.

Reading the signed-in student and the lesson page's state through the ORM session cost the lesson page 43% of
its instructions, nearly all of it SQLAlchemy's machinery around two small statements (the session, its
connection and transaction, the execution context, the result object) and 3% the database's own work
(docs/performance.md, "Tenth round"). A `PreparedRead` is a Core SELECT compiled once per database into its SQL
and the driver's parameters, with SQLAlchemy's own converters for the values that need one (dates on SQLite,
booleans): running it costs a cursor's ``execute`` and ``fetchall``.

Each thread reads on a connection of its own, opened on its first read and kept (taking one from SQLAlchemy's
pool and giving it back cost another 10% of a lesson request), in autocommit mode on both databases: each read
is its own statement-long transaction, outside the session's, so it reads what is committed and holds no lock
or snapshot afterwards. Use it only for reads that come before the request writes anything (who is signed in,
what a page shows). A connection the server dropped (a restart) is replaced on the read that finds it so;
after the engine is disposed, or in a forked process, each thread opens a new one.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref

from flask import current_app
from sqlalchemy import event

from edu.extensions import db


class PreparedRead:
    """A SELECT (Core: columns, no ORM entities) run on the thread's read connection; ``rows(params)`` gives
    its rows as tuples, with the values SQLAlchemy would give. Parameters are the statement's named
    ``bindparam`` values; lists (expanding ``IN``) are not supported."""

    def __init__(self, statement):
        self.statement = statement
        self._by_dialect: dict[tuple[str, str], _Prepared] = {}

    def rows(self, params: dict) -> list[tuple]:
        reads = _reads_of_app(current_app._get_current_object())
        dialect = reads.dialect
        prepared = self._by_dialect.get((dialect.name, dialect.driver))
        if prepared is None:
            prepared = self._by_dialect[(dialect.name, dialect.driver)] = _Prepared(self.statement, dialect)
        connection = reads.connection()
        try:
            return prepared.run(connection, params)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, connection, None):
                raise
            reads.drop()  # the server closed it (a restart): once more on a new connection
            return prepared.run(reads.connection(), params)


class _Prepared:
    """One statement compiled for one database: its SQL, the order of its parameters (for drivers that take
    them by position), its fixed values (literals), and the value converters it needs."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        if any(bind.expanding for bind in compiled.binds.values()):
            raise ValueError("a PreparedRead cannot take a list parameter (expanding IN)")
        self.sql = compiled.string
        self.order = list(compiled.positiontup) if compiled.positional else None
        self.fixed = {name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required}
        converters = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                      for name, bind in compiled.binds.items()}
        self.to_database = {name: convert for name, convert in converters.items() if convert is not None}
        results = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                   for column in statement.selected_columns]
        self.from_database = [(index, convert) for index, convert in enumerate(results) if convert is not None]

    def run(self, connection, params: dict) -> list[tuple]:
        values = {**self.fixed, **params}
        for name, convert in self.to_database.items():
            values[name] = convert(values[name])
        cursor = connection.cursor()
        try:
            cursor.execute(self.sql, [values[name] for name in self.order] if self.order is not None else values)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        if not self.from_database:
            return rows  # the drivers' rows are tuples
        return [self._converted(row) for row in rows]

    def _converted(self, row) -> tuple:
        row = list(row)
        for index, convert in self.from_database:
            row[index] = convert(row[index])
        return tuple(row)


class _EngineReads:
    """The read connections of one engine (database): one per thread, opened on the thread's first read and
    kept. Replaced (the old one closed) after the engine is disposed; a forked process opens its own, leaving its
    parent's alone."""

    def __init__(self, engine):
        self.engine = weakref.ref(engine)  # the engine's entry in `_reads_by_engine` must not keep it alive
        self.dialect = engine.dialect
        self.threads = threading.local()
        self.generation = 0
        event.listen(engine, "engine_disposed", self.renew)

    def renew(self, *_args) -> None:
        self.generation += 1

    def connection(self):
        threads = self.threads
        connection = getattr(threads, "connection", None)
        if connection is None or threads.generation != self.generation:
            connection = self._open()
        return connection

    def _open(self):
        self.drop()
        pooled = self.engine().raw_connection()  # runs the engine's connect events (SQLite's pragmas)
        connection = pooled.dbapi_connection
        pooled.detach()  # the thread keeps it: no pool check-out and check-in per request
        self.dialect.set_isolation_level(connection, "AUTOCOMMIT")
        threads = self.threads
        threads.connection, threads.generation, threads.pid = connection, self.generation, os.getpid()
        return connection

    def drop(self) -> None:
        """Forget this thread's connection, closing it unless it is a parent process's."""
        threads = self.threads
        connection = getattr(threads, "connection", None)
        threads.connection = None
        if connection is not None and threads.pid == os.getpid():
            with contextlib.suppress(Exception):  # it may be broken already: that is why it is dropped
                connection.close()


_reads_by_engine: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_reads_lock = threading.Lock()


def _reads_of_app(app) -> _EngineReads:
    """The read connections of the app's database, kept in ``app.extensions`` (Flask-SQLAlchemy's ``db.engine``
    looks the engine up in two weak-keyed tables on every call: 1% of a lesson page)."""
    reads = app.extensions.get("edu_reads")
    if reads is None:
        reads = app.extensions["edu_reads"] = _reads_of(db.engine)  # (called in the app's context)
    return reads


def _reads_of(engine) -> _EngineReads:
    reads = _reads_by_engine.get(engine)
    if reads is None:
        with _reads_lock:
            reads = _reads_by_engine.get(engine)
            if reads is None:
                reads = _reads_by_engine[engine] = _EngineReads(engine)
    return reads


def _renew_all_after_fork() -> None:
    for reads in list(_reads_by_engine.values()):
        reads.renew()


os.register_at_fork(after_in_child=_renew_all_after_fork)
