"""Prepared reads: the few SELECTs every student request runs, sent straight to the database driver.

Reading the signed-in student and the lesson page's state through the ORM session cost the lesson page 43% of
its instructions, nearly all of it SQLAlchemy's machinery around two small statements (the session, its
connection and transaction, the execution context, the result object) and 3% the database's own work
(docs/performance.md, "Tenth round"). A `PreparedRead` is a Core SELECT compiled once per database into its SQL
and the driver's parameters, with SQLAlchemy's own converters for the values that need one (dates on SQLite,
booleans): running it costs a cursor's ``execute`` and ``fetchall``.

It runs on a pooled connection of its own, taken once per request (app context) and given back to the pool at
its end, outside the session's transaction: it reads what is committed. Use it only for reads that come before
the request writes anything (who is signed in, what a page shows). On SQLite the connection is in autocommit
mode (edu/database.py), so each read is its own read transaction and holds no lock after it; on PostgreSQL the
pool rolls the connection's transaction back when it returns.
"""

from __future__ import annotations

from flask import Flask, g

from edu.extensions import db


class PreparedRead:
    """A SELECT (Core: columns, no ORM entities) run on the request's read connection; ``rows(params)`` gives
    its rows as tuples, with the values SQLAlchemy would give. Parameters are the statement's named
    ``bindparam`` values; lists (expanding ``IN``) are not supported."""

    def __init__(self, statement):
        self.statement = statement
        self._by_dialect: dict[tuple[str, str], _Prepared] = {}

    def rows(self, params: dict) -> list[tuple]:
        connection, dialect = _read_connection()
        prepared = self._by_dialect.get((dialect.name, dialect.driver))
        if prepared is None:
            prepared = self._by_dialect[(dialect.name, dialect.driver)] = _Prepared(self.statement, dialect)
        return prepared.run(connection, params)


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


def _read_connection():
    """The request's read connection (a pooled driver connection) and its dialect, taken on first use."""
    held = g.get("_edu_read_connection")
    if held is None:
        engine = db.engine
        held = g._edu_read_connection = (engine.raw_connection(), engine.dialect)
    return held


def release_read_connection(_error: BaseException | None = None) -> None:
    """Give the read connection back to the pool (which ends any transaction on it) as the app context ends."""
    held = g.pop("_edu_read_connection", None)
    if held is not None:
        held[0].close()


def init_reads(app: Flask) -> None:
    app.teardown_appcontext(release_read_connection)
