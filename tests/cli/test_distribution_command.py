"""The year-end distribution from the command line, as an accountant runs it on the demo data for 2024."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from tests.cli.conftest import coop

EXAMPLE_1 = Path(__file__).parents[1] / "distribution" / "example_1.json"


def chenliang(url: str) -> str:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        (code,) = connection.execute("SELECT credit_code FROM cooperative WHERE name = '晨靓果业专业合作社'").fetchone()
    return str(code)


def test_simulate_prints_example_one_exactly(tmp_path: Path) -> None:
    result = coop("distribution", "simulate", str(EXAMPLE_1))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert (output["provident_fund"], output["distributable"]) == ("18222.22", "163999.96")
    assert (output["patronage_pool"], output["residual_pool"]) == ("114799.97", "49199.99")
    members = {m["code"]: m for m in output["members"]}
    assert [m["code"] for m in output["members"]] == ["M01", "M02", "M03", "M04", "M05", "M06"]
    assert members["M05"]["patronage_return"] == "35152.17"
    assert members["M01"]["total"] == "15674.10" and members["M01"]["residual_weight"] == "77166.67"
    assert sum(Decimal(m["total"]) for m in output["members"]) == Decimal("163999.96")


def test_simulate_refuses_bad_input_with_exit_code_two(tmp_path: Path) -> None:
    case = json.loads(EXAMPLE_1.read_text(encoding="utf-8"))
    for change, message in [
        ({"policy": {**case["policy"], "patronage_ratio": "0.55"}}, "60%"),
        ({"surplus": 186543.27}, "surplus"),
        ({"surplus": "12.345"}, "surplus"),
        ({"members": []}, "members"),
    ]:
        path = tmp_path / "case.json"
        path.write_text(json.dumps({**case, **change}), encoding="utf-8")
        result = coop("distribution", "simulate", str(path), lang="en")
        assert result.returncode == 2, change
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert coop("distribution", "simulate", str(tmp_path / "broken.json")).returncode == 2


def test_the_whole_year_end_runs_on_the_demo_data(demo_db: str) -> None:
    code = chenliang(demo_db)
    year = ("--coop", code, "--year", "2024")

    def run(*args: str, lang: str = "zh") -> str:
        result = coop("--db", demo_db, "distribution", *args, *year, lang=lang)
        assert result.returncode == 0, result.stderr
        return result.stdout

    planned = json.loads(run("plan", "--json"))
    assert sum(int(m["total"].replace(".", "")) for m in planned["members"]) == int(
        planned["distributable"].replace(".", "")
    )
    assert "✓" in run("show") and "✗" not in run("show")
    early = coop("--db", demo_db, "distribution", "publish", *year, "--on", "2025-03-10", "--assembly", "2025-03-20")
    assert early.returncode == 2 and "15日" in early.stderr
    run("publish", "--on", "2025-03-01")
    run("approve", "--assembly", "2025-03-20", "--present", "110", "--votes-for", "100")
    shown = run("show")
    assert "✓ 成员大会在方案公示后第 19 天召开" in shown and "✓ 按交易量（额）返还占可分配盈余的" in shown
    assert "✗" not in shown
    run("post")
    account = coop("--db", demo_db, "members", "account", "--coop", code, "--member", "M002", "--year", "2024")
    assert account.returncode == 0 and "2024年盈余返还" in account.stdout and "年末余额" in account.stdout
    edit = coop("--db", demo_db, "land", "guarantees", "--coop", code, "--year", "2024", "--book")
    assert edit.returncode == 2 and "已结账" in edit.stderr  # a posted year refuses edits
    run("reverse")
    replanned = json.loads(run("plan", "--json"))
    assert replanned == planned
