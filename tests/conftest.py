"""Shared fixtures: a migrated database per backend, and a session per test rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coopcore.db import migrate
from tests.backends import BACKENDS, scratch_engine


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on a freshly migrated database, once per backend for the whole run."""
    tmp_dir: Path = tmp_path_factory.mktemp(request.param)
    with scratch_engine(request.param, tmp_dir) as engine:
        migrate.upgrade(engine)
        yield engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, even where the code under test commits."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            yield session
        outer.rollback()


@pytest.fixture
def backend(engine: Engine) -> str:
    """The name of the backend the test runs on."""
    return engine.dialect.name
