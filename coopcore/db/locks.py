"""Row locks: the one way a service serialises a state change with whoever else changes the same row."""

from __future__ import annotations

from sqlalchemy.orm import Session


def lock(session: Session, record: object) -> None:
    """Hold the record's row until the transaction ends, then read it, and all the session read before, afresh.

    SELECT … FOR UPDATE on PostgreSQL and MariaDB (both read committed, coopcore.db.engine): a second writer
    waits here until the first commits, then sees its result. SQLite has no row locks; it lets one writer at a
    time hold the database, and a second writer is refused (ConcurrentChange) instead of waiting.
    """
    session.flush()
    session.expire_all()  # what was read before the lock may have changed while we waited for it
    session.refresh(record, with_for_update=True)
