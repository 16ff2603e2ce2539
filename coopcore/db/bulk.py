"""Many rows at once: written by PostgreSQL's COPY, the driver's executemany on SQLite, SQLAlchemy's elsewhere;
read as plain rows."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVarTuple, cast

from sqlalchemy import Row, Select, Table, insert
from sqlalchemy.orm import Session

from coopcore.db.base import Base
from coopcore.db.errors import driver_errors

Columns = TypeVarTuple("Columns")


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a piece of work makes objects by the hundred thousand.

    A plan of 20,000 members makes rows, positions, shares and lines that all live until it ends: the collector
    ran several full passes over them in each plan (a quarter of its Python time) and freed nothing. It runs
    again, as usual, once the work is done (also after an error).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def read_rows(session: Session, query: Select[*Columns]) -> Sequence[Row[*Columns]]:
    """The rows of a query of columns, read on the session's connection once its changes are flushed.

    For thousands of rows (a roster, a distribution's lines) the ORM's handling of each row took longer than the
    query; a query of columns needs none of it.
    """
    session.flush()
    return session.connection().execute(query).all()


def insert_rows(session: Session, model: type[Base], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows (dicts keyed by column name, all with the same keys) of a model in the session's transaction.

    Values go through each column's own type first (coopcore.db.types refuses an amount with too many decimal
    places), so COPY stores exactly what an INSERT would. Like any bulk INSERT, this writes no audit versions.
    """
    if not rows:
        return
    table = cast(Table, model.__table__)
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite"):
        session.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    # COPY fills only the database's defaults; the model's Python-side ones (memo "", state OPEN) are added here.
    missing = [column for column in table.columns if column.name not in names and column.default is not None]
    if any(not column.default.is_scalar for column in missing):  # type: ignore[union-attr]
        raise ValueError(f"give every column with a computed default: {[column.name for column in missing]}")
    defaults = {column.name: column.default.arg for column in missing}  # type: ignore[union-attr]
    names += defaults
    # dialect_impl: the processor an INSERT would use (the generic type's own would turn a Decimal into a float).
    processors: list[Callable[[Any], Any] | None] = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    columns_of_row = [(name, defaults.get(name), process) for name, process in zip(names, processors, strict=True)]

    def values(row: Mapping[str, Any]) -> list[Any]:
        return [
            row.get(name, default) if process is None else process(row.get(name, default))
            for name, default, process in columns_of_row
        ]

    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    columns = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    target = dialect.identifier_preparer.format_table(table)
    if dialect.name == "sqlite":
        # The driver's executemany with the values processed as above: SQLAlchemy's own executemany built each
        # row's parameters again, which took longer than SQLite storing them (20,000 members' entries).
        statement = f"INSERT INTO {target} ({columns}) VALUES ({', '.join('?' for _ in names)})"
        with driver_errors(connection, statement):
            cursor.executemany(statement, (values(row) for row in rows))
        return
    # COPY moves the rows in one stream instead of a statement with thousands of placeholders, which psycopg
    # would parse in Python; a plan of 20,000 members writes its lines several times faster this way.
    statement = f"COPY {target} ({columns}) FROM STDIN"
    with driver_errors(connection, statement), cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(values(row))
