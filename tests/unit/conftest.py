"""tests/unit holds the tests without a database: a test here that asks for one fails before the database is made.

The two axes of the suite stay apart this way: database tests live in tests/db or their feature's folder, and a
quick run of tests/unit never waits for PostgreSQL or MariaDB.
"""

from __future__ import annotations

import pytest

# tests/conftest.py's database fixtures, the only ones visible from here; item.fixturenames holds every fixture a
# test needs, directly or through another fixture, so a fixture built on one of these is caught as well.
DATABASE_FIXTURES = frozenset({"engine", "session", "backend"})


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Refuse a unit test that needs a database, before any fixture is set up."""
    wanted = sorted(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))
    if wanted:
        pytest.fail(
            f"{item.nodeid} asks for the database fixture(s) {', '.join(wanted)}, but tests/unit is for tests "
            "without a database: move it to tests/db or its feature's folder (tests/admin, tests/cli, tests/workbook, "
            "tests/reports, tests/distribution, tests/township, tests/browser).",
            pytrace=False,
        )
