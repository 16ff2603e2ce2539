"""The three database backends the tests run on, each in a private scratch database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from coopcore.db.engine import make_engine

BACKENDS = ("sqlite", "postgresql", "mariadb")
SERVER_URLS = {
    "postgresql": ("COOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@/test?host=/var/run/postgresql"),
    "mariadb": ("COOP_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}


def server_url(backend: str) -> str:
    """Return the configured URL of a database server."""
    variable, default = SERVER_URLS[backend]
    return os.environ.get(variable, default)


def _unreachable(backend: str, error: Exception) -> None:
    variable, _ = SERVER_URLS[backend]
    message = f"{backend} is not reachable at {server_url(backend)} (set {variable}): {error}"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so an unreachable server is a failure: {message}", pytrace=False)
    pytest.skip(message)


@contextmanager
def scratch_engine(backend: str, tmp_dir: Path) -> Iterator[Engine]:
    """Yield an engine on a new, empty database of the backend, dropped afterwards.

    A private database per test run lets several runs (and developers) share one server.
    """
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_dir / f'coop-{uuid.uuid4().hex[:8]}.sqlite3'}")
        yield engine
        engine.dispose()
        return
    url = make_url(server_url(backend))
    name = f"coop_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except Exception as error:  # any connection problem means "not reachable"
        admin.dispose()
        _unreachable(backend, error)
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()
