"""The year-end distribution from the command line, as an accountant runs it on the demo data for 2024."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

from coopcore.i18n import format_money
from tests.cli.conftest import coop


def chenliang(url: str) -> str:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        (code,) = connection.execute("SELECT credit_code FROM cooperative WHERE name = '晨靓果业专业合作社'").fetchone()
    return str(code)


def test_the_whole_year_end_runs_on_the_demo_data(demo_url: str) -> None:
    code = chenliang(demo_url)
    year = ("--coop", code, "--year", "2024")

    def run(*args: str, lang: str = "zh") -> str:
        result = coop("--db", demo_url, "distribution", *args, *year, lang=lang)
        assert result.returncode == 0, result.stderr
        return result.stdout

    planned = json.loads(run("plan", "--json"))
    assert sum(int(m["total"].replace(".", "")) for m in planned["members"]) == int(
        planned["distributable"].replace(".", "")
    )
    assert "✓" in run("show") and "✗" not in run("show")
    early = coop("--db", demo_url, "distribution", "publish", *year, "--on", "2025-03-10", "--assembly", "2025-03-20")
    assert early.returncode == 2 and "15日" in early.stderr
    run("publish", "--on", "2025-03-01")
    run("approve", "--assembly", "2025-03-20", "--present", "110", "--votes-for", "100")
    shown = run("show")
    assert "✓ 成员大会在方案公示后第 19 天召开" in shown and "✓ 按交易量（额）返还占可分配盈余的" in shown
    assert "✗" not in shown
    run("post")
    account = coop("--db", demo_url, "members", "account", "--coop", code, "--member", "M002", "--year", "2024")
    assert account.returncode == 0 and "2024年盈余返还" in account.stdout and "年末余额" in account.stdout
    closed = coop("--db", demo_url, "ledger", "close", "--coop", code, "--period", "2024-12")
    assert closed.returncode == 0, closed.stderr  # closing December closes the year
    edit = coop("--db", demo_url, "land", "guarantees", "--coop", code, "--year", "2024", "--book")
    assert edit.returncode == 2 and "已结账" in edit.stderr  # a closed year refuses edits
    reverse = coop("--db", demo_url, "distribution", "reverse", *year)
    assert reverse.returncode == 2 and "已结账" in reverse.stderr  # only once December is reopened (反结账)
    reopened = coop("--db", demo_url, "ledger", "reopen", "--coop", code, "--period", "2024-12")
    assert reopened.returncode == 0, reopened.stderr
    run("reverse")
    replanned = json.loads(run("plan", "--json"))
    assert replanned == planned


def test_the_assembly_converts_part_of_a_share_at_approval_only_with_its_resolution(demo_url: str) -> None:
    code = chenliang(demo_url)
    year = ("--coop", code, "--year", "2024")

    def run(*args: str) -> tuple[int, str, str]:
        result = coop("--db", demo_url, "distribution", *args, *year)
        return result.returncode, result.stdout, result.stderr

    assert run("plan")[0] == 0 and run("publish", "--on", "2025-03-01")[0] == 0
    approve = ("approve", "--assembly", "2025-03-20", "--present", "110", "--votes-for", "100", "--convert",
               "M002=100.00")  # fmt: skip
    status, _, error = run(*approve)
    assert status == 2 and "决议" in error  # no resolution: refused, nothing recorded
    status, _, error = run("approve", "--assembly", "2025-03-20", "--present", "110", "--votes-for", "100",
                           "--convert", "M002", "--resolution", "2025-1号")  # fmt: skip
    assert status == 2 and "M04=5000.00" in error
    status, _, error = run(*approve, "--convert", "M002=50.00", "--resolution", "2025-1号")
    assert status == 0, error
    status, shown, _ = run("show")
    assert "转为出资" in shown and "¥150.00" in shown


def test_the_assembly_covers_a_loss_from_the_surplus_reserve_only_when_the_year_leaves_one(demo_url: str) -> None:
    code = chenliang(demo_url)
    year = ("--coop", code, "--year", "2024")

    def run(*args: str, lang: str = "zh") -> tuple[int, str, str]:
        result = coop("--db", demo_url, "distribution", *args, *year, lang=lang)
        return result.returncode, result.stdout, result.stderr

    assert run("plan")[0] == 0 and run("publish", "--on", "2025-03-01")[0] == 0
    approve = ("approve", "--assembly", "2025-03-20", "--present", "110", "--votes-for", "100", "--loss-covered",
               "100.00")  # fmt: skip
    status, _, error = run(*approve)
    assert status == 2 and "用盈余公积弥补亏损须有成员大会决议" in error
    # 晨靓's 2024 surplus leaves no loss: nothing may be covered from 322.
    status, _, error = run(*approve, "--resolution", "2025-1号")
    assert status == 2 and "2024 年盈余弥补后尚未弥补的亏损为 0.00" in error, error
    status, _, error = run(*approve, "--resolution", "2025-1号", lang="en")
    assert status == 2 and "the loss left after the 2024 surplus is 0.00" in error, error
    status, _, error = run("approve", "--assembly", "2025-03-20", "--present", "110", "--votes-for", "100",
                           "--loss-covered", "一百")  # fmt: skip
    assert status == 2 and "一百" in error
    help_text = coop("distribution", "approve", "--help").stdout
    assert "用盈余公积（322）弥补的亏损金额" in help_text


def test_the_plan_shows_the_years_figures_as_the_books_stand_first_marked_unaudited(demo_url: str) -> None:
    year = ("--coop", chenliang(demo_url), "--year", "2024")
    planned = coop("--db", demo_url, "distribution", "plan", *year, lang="zh")
    assert planned.returncode == 0, planned.stderr
    books = coop("--db", demo_url, "statements", *year, "--unposted", "--json", lang="zh")
    lines = json.loads(books.stdout)["surplus_statement"]["lines"]
    shown, _ = planned.stdout.split("2024年度盈余分配（草案）")
    assert "晨靓果业专业合作社 2024年度账簿现状（会农社02表第1—13行）" in shown
    assert "未审计：本期尚未结账，草稿和已审核未记账的凭证按已记账计入。" in shown
    rows = {int(row.split("│")[2]): row for row in shown.splitlines() if row.count("│") == 5}
    assert sorted(rows) == list(range(1, 14))  # lines 1-13, none of the distribution's
    for number, row in rows.items():
        assert format_money(Decimal(lines[str(number)]["this_year"]), "zh") in row, number
    surplus = json.loads(coop("--db", demo_url, "distribution", "show", *year, "--json", lang="zh").stdout)
    assert Decimal(surplus["surplus"]) == Decimal(lines["12"]["this_year"])  # the plan distributes line 12
