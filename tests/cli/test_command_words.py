"""What the `coop` command says to an accountant: dates as typed, no database, refusals in plain words, tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.i18n import format_money
from coopcore.models import Distribution
from tests.backends import scratch_engine
from tests.cli.conftest import coop, run
from tests.cli.test_distribution_command import chenliang
from tests.workbook.builders import valid_book, write_book


def test_a_date_may_be_typed_with_dashes_slashes_or_in_chinese(demo_url: str) -> None:
    code = chenliang(demo_url)
    outputs = {
        day: run("--db", demo_url, "check", "--coop", code, "--on", day)
        for day in ("2024-12-31", "2024/12/31", "2024年12月31日", "2024年 12 月 31 日")
    }
    assert {result.returncode for result in outputs.values()} == {0}
    assert len({result.stdout for result in outputs.values()}) == 1
    assert "截至 2024-12-31" in outputs["2024/12/31"].stdout


DATABASE_COMMANDS = [
    ("check",),
    ("distribution", "show", "--coop", "93370671MA3H6XFL2R", "--year", "2024"),
    ("members", "account", "--coop", "93370671MA3H6XFL2R", "--member", "M002", "--year", "2024"),
    ("land", "guarantees", "--coop", "93370671MA3H6XFL2R", "--year", "2024"),
    ("villages", "status", "--year", "2024"),
    ("contracts", "status", "--year", "2024"),
    ("export", "--coop", "93370671MA3H6XFL2R", "out.xlsx"),
    ("report", "slips", "--coop", "93370671MA3H6XFL2R", "--year", "2024"),
]


def test_without_a_database_every_command_but_init_says_to_run_init_and_creates_no_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    url = f"sqlite:///{missing}"
    for command in DATABASE_COMMANDS:
        result = run("--db", url, *command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert f"错误：数据库 {url} 还没有建立：请先运行 coop init。" in result.stderr, (command, result.stderr)
        assert "no such table" not in result.stdout + result.stderr
        assert not missing.exists(), command
    missing.touch()  # an empty file, as `coop check` used to leave behind
    assert "请先运行 coop init" in run("--db", url, "check").stderr
    english = run("--db", url, "check", lang="en")
    assert f"Error: There is no coopcore database at {url} yet: run coop init first." in english.stderr
    assert run("--db", url, "init").returncode == 0
    assert run("--db", url, "check").returncode == 0


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_a_server_database_without_the_schema_is_refused_naming_it_without_its_password(
    backend: str, tmp_path: Path
) -> None:
    with scratch_engine(backend, tmp_path) as engine:
        url = engine.url.set(password="secret") if backend == "postgresql" else engine.url
        result = run("--db", url.render_as_string(hide_password=False), "check")
    assert result.returncode == 1, result.stderr
    assert f"数据库 {url.render_as_string(hide_password=True)} 还没有建立：请先运行 coop init。" in result.stderr
    assert "secret" not in result.stderr and make_url(url).database in result.stderr


def test_refusals_of_the_year_end_steps_say_what_happened_in_plain_words(demo_url: str) -> None:
    year = ("--coop", chenliang(demo_url), "--year", "2024")

    def step(*args: str) -> tuple[int, str]:
        result = run("--db", demo_url, "distribution", *args[:1], *year, *args[1:])
        return result.returncode, result.stderr

    assert step("plan")[0] == 0
    assert step("post") == (
        2,
        "错误：2024年的分配方案还没有公示，也没有经成员大会通过：请先公示、登记成员大会通过，再记账。\n",
    )
    approve = ("approve", "--assembly", "2025/3/20", "--present", "110", "--votes-for", "100")
    assert "2024年的分配方案还没有公示：请先公示" in step(*approve)[1]
    assert step("publish", "--on", "2025年3月1日")[0] == 0
    assert "2024年的分配方案已经公示过了。" in step("publish", "--on", "2025-03-01")[1]
    assert "2024年的分配方案已经公示，不能再重新计算了。" in step("plan")[1]
    assert "还没有经成员大会通过：请先登记成员大会的表决通过，再记账。" in step("post")[1]
    assert "2024年的盈余分配还没有记账：请先记账，再支付。" in step("pay", "--on", "2025-04-01")[1]
    assert step(*approve)[0] == 0
    assert step("post")[0] == 0
    assert "2024年的盈余分配已经记账。" in step("post")[1]
    assert step("pay", "--on", "2025-04-01", "--member", "M002")[0] == 0
    assert "2024年的分红已经部分支付，不能再冲销。" in step("reverse")[1]
    assert step("pay", "--on", "2025-04-01")[0] == 0
    paid_twice = step("pay", "--on", "2025-04-02")
    assert paid_twice == (2, "错误：2024年的分红已经支付过了。\n")
    assert "当前状态" not in paid_twice[1]
    english = run("--db", demo_url, "distribution", "pay", *year, "--on", "2025-04-02", lang="en")
    assert "Error: The 2024 dividends have already been paid." in english.stderr


def test_paying_in_capital_needs_its_own_resolution_and_says_so(demo_url: str) -> None:
    year = ("--coop", chenliang(demo_url), "--year", "2024")
    for args in (("plan",), ("publish", "--on", "2025-03-01"), ("post",)):
        run("--db", demo_url, "distribution", args[0], *year, *args[1:])
    approve = ("--assembly", "2025-03-20", "--present", "110", "--votes-for", "100", "--resolution", "2025-1号")
    assert run("--db", demo_url, "distribution", "approve", *year, *approve).returncode == 0
    assert run("--db", demo_url, "distribution", "post", *year).returncode == 0
    refused = run("--db", demo_url, "distribution", "pay", *year, "--on", "2025-04-01", "--method", "capital")
    assert refused.returncode == 2
    assert "把返还转为成员出资，需要成员大会对此专门作出决议（《农民专业合作社法》第四十四条）" in refused.stderr
    assert "请填写决议文号或内容" in refused.stderr
    converted = run("--db", demo_url, "distribution", "pay", *year, "--on", "2025-04-01", "--method", "capital",
                    "--resolution", "2025-2号 盈余返还转为出资")  # fmt: skip
    assert converted.returncode == 0, converted.stderr
    assert "已登记 119 笔支付" in converted.stdout  # the refusal paid nobody


def test_show_prints_the_transaction_amounts_as_money_and_a_total_row(demo_url: str) -> None:
    year = ("--coop", chenliang(demo_url), "--year", "2024")
    run("--db", demo_url, "distribution", "plan", *year)
    shown = run("--db", demo_url, "distribution", "show", *year).stdout
    with Session(make_engine(demo_url)) as session:
        distribution = session.scalars(select(Distribution).where(Distribution.year == 2024)).one()
        lines = {line.member_code: line for line in distribution.lines}
        distributable = distribution.distributable
    header = next(line for line in shown.splitlines() if "成员编号" in line)
    assert "交易额" in header and "交易量（额）" not in header
    row = next(line for line in shown.splitlines() if "│ M002 " in line)
    assert format_money(lines["M002"].patronage) in row and lines["M002"].patronage > 1000
    total = next(line for line in shown.splitlines() if line.startswith("│ 合计"))
    assert total.rstrip("│ ").endswith(format_money(distributable))
    assert format_money(sum(line.patronage for line in lines.values())) in total


def test_booking_the_guarantees_again_says_they_were_booked_and_the_table_names_the_members(demo_url: str) -> None:
    book = ("--db", demo_url, "land", "guarantees", "--coop", chenliang(demo_url), "--year", "2025", "--book")
    first = run(*book)
    again = run(*book)
    assert first.returncode == again.returncode == 0
    assert "已计入2025年经营支出" in first.stdout
    assert "2025年的土地保底收益已经记过账了" in again.stdout and "这次没有做任何改动" in again.stdout
    assert "已计入" not in again.stdout
    assert any("M002" in line and "孙长春" in line for line in again.stdout.splitlines())
    with sqlite3.connect(demo_url.removeprefix("sqlite:///")) as connection:
        query = "SELECT count(*) FROM income_expense WHERE source LIKE 'land_guarantee:2025:%'"
        (rows,) = connection.execute(query).fetchone()
    assert rows == first.stdout.count("│ M")  # one expense row per member listed, booked once


def test_the_dry_run_lists_problems_by_sheet_row_and_column(tmp_path: Path) -> None:
    book = valid_book()
    book["交易"].set(3, "金额", 1.0)  # 交易 row 5
    book["成员"].set(4, "证件号码*", "370602197001010010")  # 成员 row 8
    book["成员"].set(2, "入社日期*", "2021-02-30")  # 成员 row 6, found first: cells are read before rows
    book["出资"].set(1, "金额*", 1.234)  # 出资 row 3
    book["成员"].set(2, "证件号码*", "370602197001010011")  # 成员 row 6, the column left of 入社日期
    path = write_book(book, tmp_path / "book.xlsx")
    result = coop("--db", f"sqlite:///{tmp_path / 'coop.sqlite3'}", "import", str(path), "--dry-run")
    assert result.returncode == 2
    found = [
        next(index for index, line in enumerate(result.stdout.splitlines()) if marker in line)
        for marker in ("370602197001010011", "2021-02-30", "370602197001010010", "1.234", "金额1.00")
    ]
    assert found == sorted(found), result.stdout
