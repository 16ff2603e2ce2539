"""Writing many rows at once: PostgreSQL's COPY where it is available, one multi-row INSERT elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from coopcore.db.base import Base
from coopcore.db.errors import driver_errors


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
    if dialect.name != "postgresql":
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
    # COPY moves the rows in one stream instead of a statement with thousands of placeholders, which psycopg
    # would parse in Python; a plan of 20,000 members writes its lines several times faster this way.
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    columns = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    statement = f"COPY {dialect.identifier_preparer.format_table(table)} ({columns}) FROM STDIN"
    with driver_errors(connection, statement), cursor.copy(statement) as copy:
        for row in rows:
            values = [row.get(name, defaults.get(name)) for name in names]
            pairs = zip(values, processors, strict=True)
            copy.write_row([value if process is None else process(value) for value, process in pairs])
