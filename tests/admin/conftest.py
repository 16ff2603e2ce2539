"""Fixtures of the admin tests: an app per test on a private copy of the demo database (tests/conftest.py); Example 1
on each backend for the walks that must hold on every database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from admin.app import create_app
from coopcore.models import Role
from coopcore.services.users import create_user
from demo import DEMO_PASSWORD
from tests.backends import BACKENDS, copy_of, scratch_engine
from tests.distribution.builders import make_example_1


def make_app(url: str, folder: Path, **config: Any) -> Flask:
    """An admin app on a database, with its instance folder in a scratch directory."""
    settings = {
        "COOP_DATABASE_URL": url,
        "COOP_INSTANCE_PATH": str(folder / "instance"),
        "SECRET_KEY": "test-secret",
        "COOP_LOGIN_LIMIT": "1000 per minute",
        "COOP_LOGIN_ACCOUNT_LIMIT": "1000 per minute",
        **config,
    }
    return create_app(settings)


@pytest.fixture
def app(demo_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(demo_url, tmp_path)
    yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Flask-Admin 2.2's QuerySelectField still yields tuples; WTForms 3.3 warns on every select rendered
    # (stack notes §2f: harmless until WTForms 4, which pyproject excludes).
    for item in items:
        item.add_marker(pytest.mark.filterwarnings("ignore:Yielding raw tuples:DeprecationWarning"))


@pytest.fixture(scope="module")
def shared_app(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """One app per test module for the tests that change nothing (templates compile once)."""
    folder = tmp_path_factory.mktemp("shared")
    return make_app(copy_of(demo_file, folder), folder)


@pytest.fixture
def reader(shared_app: Flask) -> FlaskClient:
    """A client with fresh cookies on the module's shared app: for tests that only read."""
    return shared_app.test_client()


@pytest.fixture(params=BACKENDS)
def example_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Flask, Engine]]:
    """The admin on a fresh database of each backend: Example 1, its accountant "clerk", an administrator "chief"."""
    with scratch_engine(request.param, tmp_path, "schema") as engine:
        with Session(engine) as session, session.begin():
            cooperative = make_example_1(session)
            create_user(session, "clerk", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=[cooperative])
            create_user(session, "chief", DEMO_PASSWORD, Role.ADMIN)
        url = engine.url.render_as_string(hide_password=False)
        # Each backend's users get their own signing key: the sign-in cookies cached by tests.admin.demo
        # must not carry one database's user ids into another's.
        app = make_app(url, tmp_path, SECRET_KEY=f"test-secret-{request.param}")
        yield app, engine
        app.extensions["coop_database"].engine.dispose()  # PostgreSQL drops no database that is still in use
