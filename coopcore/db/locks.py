"""Row locks: the one way a service serialises a state change with whoever else changes the same row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session


def lock(session: Session, record: object) -> None:
    """Hold the record's row until the transaction ends, then read it, and all the session read before, afresh.

    SELECT … FOR UPDATE on PostgreSQL and MariaDB (both read committed, coopcore.db.engine): a second writer
    waits here until the first commits, then sees its result. SQLite has no row locks but one writer at a time:
    a write that changes nothing takes the database's write lock here, so that a second writer is refused
    (ConcurrentChange, coopcore.db.errors) before it has written anything.
    """
    _take(session, record)
    session.expire_all()  # what was read before the lock may have changed while we waited for it
    session.refresh(record, with_for_update=True)


def hold(session: Session, record: object) -> None:
    """Hold the record's row until the transaction ends, as `lock` does, without reading anything afresh.

    For writers that serialise on a row but read what they need with queries of their own after it (the books
    number a month's vouchers from a fresh max()): expiring the whole session on every voucher would make a
    caller's objects reload, one by one, for nothing.
    """
    _take(session, record)
    if session.connection().dialect.name != "sqlite":
        state: Any = inspect(record)
        key = state.mapper.primary_key[0]
        session.execute(select(key).where(key == state.identity[0]).with_for_update())


def _take(session: Session, record: object) -> None:
    session.flush()
    if session.connection().dialect.name == "sqlite":
        state: Any = inspect(record)
        table = state.mapper.local_table
        key = state.mapper.primary_key[0]
        # A plain column set to itself: rewriting the key made SQLite look for the rows of every table that
        # refers to it (57 ms a lock for a cooperative with a million voucher lines).
        plain = next(column for column in table.columns if not column.primary_key and not column.foreign_keys)
        session.execute(update(table).where(key == state.identity[0]).values({plain.name: plain}))
