"""`coop statements`: the public JSON contract (every line of domain.md §2.3, amounts as strings with two
decimals) and the three forms printed in Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from coopcore.db import migrate
from coopcore.db.engine import make_engine
from tests.cli.conftest import coop, run
from tests.ledger.builders import cr, dr, make_books
from tests.statements.test_statements import posted

AMOUNT = re.compile(r"^-?\d+\.\d\d$")
COLUMNS = ["share_capital", "special_fund", "capital_reserve", "surplus_reserve", "undistributed", "total"]


@pytest.fixture
def books(tmp_path: Path) -> tuple[str, str]:
    """A SQLite database with one cooperative, a contribution in 2023 and a sale on credit in 2024."""
    url = f"sqlite:///{tmp_path / 'books.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        cooperative = make_books(session)
        posted(session, cooperative, "2023-12-20", dr("102", "5000.00"), cr("301", "5000.00", "M001"))
        posted(session, cooperative, "2024-03-05", dr("114", "1200.00", "M001"), cr("501", "1200.00"))
        credit_code = cooperative.credit_code
    engine.dispose()
    return url, credit_code


def test_the_statements_json_is_the_public_contract(books: tuple[str, str]) -> None:
    url, code = books
    result = coop("--db", url, "statements", "--coop", code, "--year", "2024", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # The contract's keys in their order; the notes (附注) of the year come last.
    assert list(data) == ["year", "balance_sheet", "surplus_statement", "equity_changes", "notes"]
    assert data["year"] == 2024
    sheet, surplus = data["balance_sheet"]["lines"], data["surplus_statement"]["lines"]
    assert list(sheet) == [str(n) for n in range(1, 43)] and list(surplus) == [str(n) for n in range(1, 21)]
    assert all(list(line) == ["closing", "opening"] for line in sheet.values())
    assert all(list(line) == ["this_year", "last_year"] for line in surplus.values())
    amounts = [v for line in [*sheet.values(), *surplus.values()] for v in line.values()]
    assert all(AMOUNT.match(value) for value in amounts)
    assert sheet["2"] == {"closing": "1200.00", "opening": "0.00"} and sheet["1"]["opening"] == "5000.00"
    assert sheet["22"] == sheet["42"] == {"closing": "6200.00", "opening": "5000.00"}
    assert surplus["1"] == {"this_year": "1200.00", "last_year": "0.00"} and surplus["20"]["this_year"] == "1200.00"
    equity = data["equity_changes"]
    assert equity["columns"] == COLUMNS and list(equity["rows"]) == ["opening", "increase", "decrease", "closing"]
    assert all(list(row) == COLUMNS for row in equity["rows"].values())
    assert equity["rows"]["closing"] == {"share_capital": "5000.00", "special_fund": "0.00", "capital_reserve": "0.00",
                                         "surplus_reserve": "0.00", "undistributed": "1200.00",
                                         "total": "6200.00"}  # fmt: skip
    month = json.loads(
        run("--db", url, "statements", "--coop", code, "--year", "2024", "--month", "2", "--json").stdout
    )
    assert month["month"] == 2 and month["balance_sheet"]["lines"]["2"]["closing"] == "0.00"


def test_the_statements_print_as_the_three_chinese_forms(books: tuple[str, str]) -> None:
    url, code = books
    result = run("--db", url, "statements", "--coop", code, "--year", "2024")
    assert result.returncode == 0, result.stderr
    for words in (
        "资产负债表（会农社01表）",
        "盈余及盈余分配表（会农社02表）",
        "成员权益变动表（会农社03表）",
        "编制单位：账簿1号合作社",
        "2024年12月31日",
        "单位：元",
        "负债和所有者权益总计",
        "六、年末未分配盈余",
        "接受国家财政直接补助形成",
        "本年减少数",
        "未审计：本期尚未结账，仅计入已记账的凭证。",
    ):  # fmt: skip  (2024 is not closed)
        assert words in result.stdout, words
    english = run("--db", url, "statements", "--coop", code, "--year", "2024", lang="en")
    assert "Balance sheet" in english.stdout and "资产负债表" not in english.stdout
    unknown = run("--db", url, "statements", "--coop", "91110000600037341L", "--year", "2024")
    assert unknown.returncode == 2 and "91110000600037341L" in unknown.stderr


def test_a_township_s_roll_up_prints_who_is_in_it_and_every_amount_in_wan_too(books: tuple[str, str]) -> None:
    url, code = books
    result = run("--db", url, "statements", "--township", "账簿镇1", "--year", "2024", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["township"] == "账簿镇1" and data["cooperatives"] == [code] and data["not_closed"] == [code]
    assert data["balance_sheet"]["lines"]["22"]["closing"] == "6200.00"
    assert data["in_wan"]["balance_sheet"]["lines"]["22"] == {"closing": "0.62", "opening": "0.50"}
    assert "四舍五入" in data["in_wan"]["rounding"]
    table = run("--db", url, "statements", "--township", "账簿镇1", "--year", "2024")
    assert "编制单位：账簿镇1" in table.stdout and "汇总 1 个合作社" in table.stdout
    both = run("--db", url, "statements", "--coop", code, "--township", "账簿镇1", "--year", "2024")
    assert both.returncode == 2 and "请给出 --coop 或 --township 之一" in both.stderr


def test_an_item_of_the_notes_is_written_from_the_command_line_and_printed_with_the_statements(
    books: tuple[str, str], tmp_path: Path
) -> None:
    url, code = books
    written = run("--db", url, "statements", "notes", "--coop", code, "--year", "2024", "--item", "1",
                  "--text", "本社执行《农民专业合作社会计制度》。")  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert "已写入2024年度附注第1项" in written.stdout
    matters = tmp_path / "item7.txt"
    matters.write_text("无未决诉讼或仲裁事项。\n", encoding="utf-8")
    assert run("--db", url, "statements", "notes", "--coop", code, "--year", "2024", "--item", "7", "--file",
               str(matters)).returncode == 0  # fmt: skip
    data = json.loads(run("--db", url, "statements", "--coop", code, "--year", "2024", "--json").stdout)
    notes = data["notes"]
    assert list(notes) == [str(n) for n in range(1, 10)]
    assert (
        notes["1"]["text"] == "本社执行《农民专业合作社会计制度》。" and notes["7"]["text"] == "无未决诉讼或仲裁事项。"
    )
    assert notes["2"]["share_capital"] == data["balance_sheet"]["lines"]["36"]["closing"] == "5000.00"
    assert notes["7"]["business"] == [] and notes["7"]["distribution"] is None
    printed = run("--db", url, "statements", "--coop", code, "--year", "2024")
    for words in ("会计报表附注", "1、遵循农民专业合作社会计制度的声明", "本社执行《农民专业合作社会计制度》。",
                  "2024年末股金总额：¥5,000.00。", "7、其他重要事项", "无未决诉讼或仲裁事项。",
                  "9、有助于理解和分析会计报表需要说明的其他事项"):  # fmt: skip
        assert words in printed.stdout, words
    month = json.loads(
        run("--db", url, "statements", "--coop", code, "--year", "2024", "--month", "3", "--json").stdout
    )
    assert "notes" not in month  # the notes go with a year's statements, not a month's end
    both = run("--db", url, "statements", "notes", "--coop", code, "--year", "2024", "--item", "2")
    assert both.returncode == 2 and "--text" in both.stderr
    beyond = run("--db", url, "statements", "notes", "--coop", code, "--year", "2024", "--item", "10", "--text", "x")
    assert beyond.returncode == 2
    no_year = run("--db", url, "statements", "--coop", code)
    assert no_year.returncode == 2 and "--year" in no_year.stderr
