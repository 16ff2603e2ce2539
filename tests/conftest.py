"""Shared fixtures: a migrated database per backend, the demo database per backend, and sessions rolled back
after each test (the databases are copies of the run's templates: tests/backends.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.backends import BACKENDS, copy_of, drop_templates, scratch_engine, template


def pytest_sessionfinish(session: pytest.Session) -> None:
    drop_templates()


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on a freshly migrated database, once per backend for the whole run."""
    with scratch_engine(request.param, tmp_path_factory.mktemp(request.param), "schema") as engine:
        yield engine


def rolled_back(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, even where the code under test commits."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            yield session
        outer.rollback()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the backend's migrated database, rolled back after the test."""
    yield from rolled_back(engine)


@pytest.fixture
def backend(engine: Engine) -> str:
    """The name of the backend the test runs on."""
    return engine.dialect.name


@pytest.fixture(scope="session", params=BACKENDS)
def demo_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on a copy of the demo database, once per backend: tests reach it through demo_session only."""
    with scratch_engine(request.param, tmp_path_factory.mktemp(f"demo-{request.param}"), "demo") as engine:
        yield engine


@pytest.fixture
def demo_session(demo_engine: Engine) -> Iterator[Session]:
    """A session on the backend's demo database, rolled back after the test: for tests that read the demo."""
    yield from rolled_back(demo_engine)


@pytest.fixture(scope="session")
def demo_file() -> Path:
    """The run's SQLite demo database, to copy or read, never to write (loaded once per run)."""
    return Path(template("sqlite", "demo").name)


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    """A private copy of the SQLite demo database for one test, as a URL: for tests that write or run commands."""
    return copy_of(demo_file, tmp_path)
