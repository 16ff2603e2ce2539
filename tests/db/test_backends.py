"""An unreachable database server is skipped on a laptop, and fails the run when CI is set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.backends import scratch_engine

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def test_an_unreachable_server_is_skipped_with_the_variable_to_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("COOP_TEST_POSTGRES_URL", UNREACHABLE)
    with pytest.raises(pytest.skip.Exception, match="COOP_TEST_POSTGRES_URL"), scratch_engine("postgresql", tmp_path):
        pass


def test_an_unreachable_server_fails_the_run_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CI", "1")
    monkeypatch.setenv("COOP_TEST_MARIADB_URL", "mysql+pymysql://nobody@127.0.0.1:1/none")
    with pytest.raises(pytest.fail.Exception, match="CI is set"), scratch_engine("mariadb", tmp_path):
        pass
