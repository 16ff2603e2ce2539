"""The installed `coop` command, run as a user runs it: a real process on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import coop


def test_init_creates_the_schema_and_is_safe_to_repeat(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    first = coop("--db", url, "init", lang="en")
    assert first.returncode == 0, first.stderr
    assert "Database ready" in first.stdout
    assert coop("--db", url, "init").returncode == 0


def test_check_prints_the_findings_of_the_demo_cooperatives_in_chinese(demo_db: str) -> None:
    result = coop("--db", demo_db, "check", "--on", "2024-12-31")
    assert result.returncode in (0, 1), result.stderr
    assert "已检查 " in result.stdout
    assert "[提示]" in result.stdout  # the demo carries deliberate warnings
    assert "Traceback" not in result.stderr


def test_check_speaks_english_when_asked(demo_db: str) -> None:
    result = coop("--db", demo_db, "check", "--on", "2024-12-31", lang="en")
    assert "Checked " in result.stdout
    assert "[WARNING]" in result.stdout


def test_an_unknown_cooperative_is_a_clear_error_without_traceback(demo_db: str) -> None:
    result = coop("--db", demo_db, "check", "--coop", "93370000XXXXXXXXX0")
    assert result.returncode == 2
    assert "未找到合作社" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "typed",
    [
        "９３３７０６７１ＭＡ３Ｈ６ＸＦＬ２Ｒ",  # full-width, as a Chinese input method types it
        "93370671\u3000MA3H6XFL2R",  # an ideographic space
        "\u00a093370671 MA3H-6XFL-2r\u00a0",  # non-breaking spaces, hyphens and a lower-case letter
    ],
)
def test_a_credit_code_typed_in_full_width_or_with_spaces_finds_the_cooperative(demo_db: str, typed: str) -> None:
    checked = coop("--db", demo_db, "check", "--coop", typed, "--on", "2024-12-31")
    assert checked.returncode in (0, 1), checked.stderr
    assert "已检查 1 " in checked.stdout
    planned = coop("--db", demo_db, "distribution", "plan", "--coop", typed, "--year", "2024")
    assert planned.returncode == 0, planned.stderr


def test_loading_the_demo_twice_is_refused_and_changes_nothing(demo_db: str) -> None:
    result = coop("--db", demo_db, "demo", lang="en")
    assert result.returncode == 2
    assert "already loaded" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    result = coop("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "init", lang="en")
    assert result.returncode == 1
    assert "Cannot use the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_date_is_refused_by_the_command_line(demo_db: str) -> None:
    result = coop("--db", demo_db, "check", "--on", "2024-13-40", lang="en")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
