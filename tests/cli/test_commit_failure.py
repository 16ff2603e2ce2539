"""A command whose commit fails says so, and only so: its success message comes after the commit."""

from __future__ import annotations

import sqlite3

from tests.cli.conftest import coop
from tests.cli.test_distribution_command import chenliang


def test_a_publish_whose_commit_fails_prints_only_the_error(demo_url: str) -> None:
    path = demo_url.removeprefix("sqlite:///")
    code = chenliang(demo_url)
    year = ("--coop", code, "--year", "2024")
    assert coop("--db", demo_url, "distribution", "plan", *year).returncode == 0
    # Another program reads the file (a report, a backup) in a transaction: SQLite lets the command write
    # but not commit while that read lasts, so the failure comes at the commit, after the work was done.
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM distribution").fetchone()
        result = coop("--db", demo_url, "distribution", "publish", *year, "--on", "2025-03-01")
        reader.execute("ROLLBACK")
        states = reader.execute(
            "SELECT d.state FROM distribution d JOIN cooperative c ON c.id = d.cooperative_id"
            " WHERE c.credit_code = ? AND d.year = 2024",
            (code,),
        ).fetchall()
    finally:
        reader.close()

    assert result.returncode == 2  # SQLite's lock at COMMIT is someone else's write: try again
    assert "其他人同时修改了相同的记录" in result.stderr, result.stderr
    assert "已公示" not in result.stdout
    assert states == [("draft",)]  # and indeed nothing was published
