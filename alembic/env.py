"""Alembic environment: migrates the coopcore schema on SQLite, PostgreSQL or MariaDB."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from coopcore.db.engine import make_engine
from coopcore.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER columns or constraints; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )


def run_migrations_online() -> None:
    """Run on a connection handed over by coopcore (config.attributes) or on one opened from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = os.environ.get("COOP_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    assert url, "no database URL"
    engine = make_engine(url)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("coopcore migrations run online only: set COOP_DATABASE_URL and run `coop init`.")
run_migrations_online()
