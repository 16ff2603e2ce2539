"""Engines: the one place that knows each backend's quirks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from coopcore.db.errors import raise_translated

DEFAULT_SQLITE_FILE = "coopcore.sqlite3"
URL_VARIABLE = "COOP_DATABASE_URL"
# The execution option of a connection whose transactions are meant to write (the admin's forms): on SQLite they
# begin by taking the write lock (BEGIN IMMEDIATE), see _configure_sqlite. Other backends lock rows, not the file.
WRITES = "coop_writes"
READER_WAIT_MS, WRITER_WAIT_MS = 5_000, 30_000  # how long SQLite waits for a lock before refusing (busy timeout)


def default_url(cwd: Path | None = None) -> str:
    """Return COOP_DATABASE_URL, else an embedded SQLite file in the working directory."""
    if url := os.environ.get(URL_VARIABLE):
        return url
    return f"sqlite:///{(cwd or Path.cwd()) / DEFAULT_SQLITE_FILE}"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with foreign keys on for SQLite, utf8mb4 and read committed for MariaDB.

    Every engine turns the database's refusals that mean something (a closed year, a lock conflict) into
    coopcore's errors (coopcore.db.errors).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "mysql":
        if "charset" not in parsed.query:
            # Chinese names need the 4-byte UTF-8 character set.
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
        # As on PostgreSQL: a statement after a row lock reads what the lock holder committed, not the snapshot
        # of the transaction's first read (InnoDB's repeatable read would re-check a state long outdated).
        kwargs.setdefault("isolation_level", "READ COMMITTED")
    engine = create_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    event.listen(engine, "handle_error", raise_translated)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself
    # (the recipe of the SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL").
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # SQLite has one writer. A transaction begun deferred takes the write lock at its first write, after its
        # reads: if another writer is committing then, SQLite refuses it at once (waiting would deadlock on the
        # read lock it holds), and the user is told someone changed the records when nobody did. A transaction
        # meant to write takes the lock first and waits its turn (the busy timeout) with nothing read yet.
        # Queued behind other writers (an import holds the lock for seconds), it waits longer than a reader would.
        immediate = connection.get_execution_options().get(WRITES)
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {WRITER_WAIT_MS if immediate else READER_WAIT_MS}")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
