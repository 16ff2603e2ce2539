"""Rows of a query ordered by cooperative, read one cooperative at a time: a township's figures in a fixed number
of statements, without holding every cooperative's rows in lists at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVarTuple

from sqlalchemy import Row, Select
from sqlalchemy.orm import Session

STREAMED_ROWS = 1_000  # rows a server-side cursor fetches at a time
Columns = TypeVarTuple("Columns")


def per_cooperative(cooperative_ids: Sequence[int], rows: Iterable[Any]) -> Iterator[list[Any]]:
    """The rows of each cooperative of cooperative_ids (ascending), in turn, [] for one without any: the rows are
    ordered by their first column, the cooperative's id."""
    remaining = iter(rows)
    pending = next(remaining, None)
    for cooperative_id in cooperative_ids:
        while pending is not None and pending[0] < cooperative_id:  # a cooperative not asked for
            pending = next(remaining, None)
        found = []
        while pending is not None and pending[0] == cooperative_id:
            found.append(pending)
            pending = next(remaining, None)
        yield found


def streamed(session: Session, query: Select[*Columns]) -> Iterator[Row[*Columns]]:
    """A grouped query's rows as they are consumed, not all at once: the ORM's execute turns every row of a result
    into a tuple before the first is read (a township's member balances: 30 MiB at 100 cooperatives).

    On PostgreSQL through a server-side cursor, several of which can be open at once in a transaction; SQLite's
    cursor reads as it goes anyway, and MariaDB's driver cannot keep two unbuffered results open on one connection,
    so there the rows stay in the driver's buffer.
    """
    session.flush()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        query = query.execution_options(stream_results=True, max_row_buffer=STREAMED_ROWS)
    return iter(connection.execute(query))
