"""The installed `coop` command, run as a user runs it: a real process on a real SQLite file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import demo
from tests.cli.conftest import coop, run


def test_init_creates_the_schema_and_is_safe_to_repeat(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    first = coop("--db", url, "init", lang="en")
    assert first.returncode == 0, first.stderr
    assert "Database ready" in first.stdout
    assert coop("--db", url, "init").returncode == 0


def test_check_prints_the_findings_of_the_demo_cooperatives_in_chinese(demo_url: str) -> None:
    result = coop("--db", demo_url, "check", "--on", "2024-12-31")
    assert result.returncode in (0, 1), result.stderr
    assert "已检查 " in result.stdout
    assert "[提示]" in result.stdout  # the demo carries deliberate warnings
    assert "Traceback" not in result.stderr


def test_check_speaks_english_when_asked(demo_url: str) -> None:
    result = coop("--db", demo_url, "check", "--on", "2024-12-31", lang="en")
    assert "Checked " in result.stdout
    assert "[WARNING]" in result.stdout


def test_an_unknown_cooperative_is_a_clear_error_without_traceback(demo_url: str) -> None:
    result = coop("--db", demo_url, "check", "--coop", "93370000XXXXXXXXX0")
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
def test_a_credit_code_typed_in_full_width_or_with_spaces_finds_the_cooperative(demo_url: str, typed: str) -> None:
    checked = coop("--db", demo_url, "check", "--coop", typed, "--on", "2024-12-31")
    assert checked.returncode in (0, 1), checked.stderr
    assert "已检查 1 " in checked.stdout
    planned = coop("--db", demo_url, "distribution", "plan", "--coop", typed, "--year", "2024")
    assert planned.returncode == 0, planned.stderr


def test_coop_demo_migrates_loads_and_says_what_it_loaded_in_chinese(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The demo itself is loaded once per run (tests/backends.py) and checked in tests/db/test_demo_data.py; here
    # only what the command adds around it, without loading it again for half a minute.
    loaded: list[Session] = []

    def load_demo(session: Session) -> demo.DemoSummary:
        loaded.append(session)
        return demo.DemoSummary(2, 30, 21, 3, 480, Decimal("1234.5"), 19937, 12, 40, 15, 27, Decimal("15000000"), 5)

    monkeypatch.setattr(demo, "load_demo", load_demo)
    result = run("--db", f"sqlite:///{tmp_path / 'demo.sqlite3'}", "demo")
    assert result.returncode == 0, result.stderr
    assert len(loaded) == 1
    assert result.stdout.startswith("演示数据已载入（仅供演示，非真实数据）：2 个乡镇（街道），30 个村，21 个合作社")
    assert "交易 19937 笔" in result.stdout and "资金 ¥15,000,000.00" in result.stdout
    assert run("--db", f"sqlite:///{tmp_path / 'demo.sqlite3'}", "check").returncode == 0  # the schema is there


def test_loading_the_demo_twice_is_refused_and_changes_nothing(demo_url: str) -> None:
    result = coop("--db", demo_url, "demo", lang="en")
    assert result.returncode == 2
    assert "already loaded" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    result = coop("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "init", lang="en")
    assert result.returncode == 1
    assert "Cannot use the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_date_is_refused_by_the_command_line(demo_url: str) -> None:
    result = coop("--db", demo_url, "check", "--on", "2024-13-40", lang="en")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
