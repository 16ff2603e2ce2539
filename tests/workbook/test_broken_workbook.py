"""A broken workbook yields every problem at once, each at its sheet, row and column, and writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, IncomeExpense, Member, MemberAccountEntry, Trade
from coopcore.rules import books
from coopcore.services.imports import COOPERATIVE, run_import
from coopcore.services.workbook import cells, reader, validate, validate_books
from tests.workbook.builders import Book, Sheet, person_id, valid_book, write_book

TODAY = dt.date(2025, 6, 30)
MEMBER_ROW = 4  # the members sheet has a title row and a blank row above its header
ROW = 2  # the other sheets start their data on row 2


def broken_book() -> Book:
    book = valid_book(7)
    coop = book["合作社"]
    code = coop.rows[0]["统一社会信用代码*"]
    coop.set(0, "统一社会信用代码*", code[:-1] + ("0" if code[-1] != "0" else "1"))
    coop.set(0, "盈余返还比例*", 0.5)
    members = book["成员"]
    members.rows.append({**members.rows[1], "证件号码*": person_id(799), "姓名或名称*": "张重复"})
    members.set(3, "证件号码*", person_id(704)[:-1] + ("0" if person_id(704)[-1] != "0" else "1"))
    members.set(4, "证件号码*", 370602197001010011)
    members.set(5, "成员类型*", "合伙人")
    members.set(6, "退社日期", dt.date(2022, 1, 1))
    members.set(7, "入社日期*", "2023-02-30")
    members.set(8, "入社日期*", dt.date(2030, 1, 1))
    members.header.append("籍贯")
    members.set(1, "籍贯", "山东")
    contributions = book["出资"]
    contributions.set(1, "成员编号*", "M99")
    contributions.set(2, "出资方式*", "土地经营权")
    contributions.set(3, "金额*", 12.345)
    contributions.set(4, "金额*", "五千")
    trades = book["交易"]
    trades.set(1, "数量*", 0)
    trades.set(2, "单价*", -1)
    trades.set(3, "金额", 99.99)
    trades.set(4, "单据号", "RK2023-0000")
    trades.set(5, "产品*", None)
    trades.set(6, "数量*", 1.23456)
    income = book["收支"]
    income.set(0, "科目*", "销售收入")
    income.set(1, "金额*", -60000)
    book["年度结转"].set(0, "年度*", 1985)
    land = book["土地入股"]
    land.header.append("承包期限届满日期")
    land.set(0, "到期日期*", dt.date(2021, 12, 31))
    land.set(1, "承包期限届满日期", dt.date(2026, 12, 31))
    funds = book["专项基金"]
    funds.header.remove("来源*")
    book["备忘"] = Sheet(["随便写写"], [{"随便写写": "不是导入格式"}])
    return book


EXPECTED = {
    ("cooperative", ROW, "uscc", validate.ID_CHECKSUM),
    ("cooperative", ROW, "patronage_ratio", validate.PATRONAGE_RATIO),
    ("members", MEMBER_ROW + 10, "member_code", validate.DUPLICATE),
    ("members", MEMBER_ROW + 3, "id_number", validate.ID_CHECKSUM),
    ("members", MEMBER_ROW + 4, "id_number", cells.NUMBER_AS_IDENTIFIER),
    ("members", MEMBER_ROW + 5, "kind", cells.UNKNOWN_CHOICE),
    ("members", MEMBER_ROW + 6, "left_on", validate.LEFT_BEFORE_JOINED),
    ("members", MEMBER_ROW + 7, "joined_on", cells.NOT_A_REAL_DATE),
    ("members", MEMBER_ROW + 8, "joined_on", cells.DATE_OUT_OF_RANGE),
    ("members", MEMBER_ROW - 1, None, reader.EXTRA_COLUMN),
    ("contributions", ROW + 1, "member_code", validate.UNKNOWN_MEMBER),
    ("contributions", ROW + 2, "area_mu", books.AREA_REQUIRED),
    ("contributions", ROW + 3, "amount", cells.TOO_MANY_PLACES),
    ("contributions", ROW + 4, "amount", cells.NOT_A_NUMBER),
    ("transactions", ROW + 1, "quantity", validate_books.MUST_BE_POSITIVE),
    ("transactions", ROW + 2, "unit_price", validate_books.MUST_BE_POSITIVE),
    ("transactions", ROW + 3, "amount", books.WRONG_AMOUNT),
    ("transactions", ROW + 4, "ticket_no", validate.DUPLICATE),
    ("transactions", ROW + 5, "product", reader.REQUIRED),
    ("transactions", ROW + 6, "quantity", cells.TOO_MANY_PLACES),
    ("income_expense", ROW, "category", cells.UNKNOWN_CHOICE),
    ("income_expense", ROW + 1, "amount", books.ONLY_INVESTMENT_NEGATIVE),
    ("fiscal_years", ROW, "year", cells.NOT_A_YEAR),
    ("land_shares", ROW, "end_on", books.END_NOT_AFTER_START),
    ("land_shares", ROW + 1, "end_on", books.END_BEYOND_CONTRACT),
    ("special_funds", None, "source", reader.MISSING_COLUMN),
    (None, None, None, reader.UNKNOWN_SHEET),
}


def where(problem: object) -> tuple[object, ...]:
    sheet, column = getattr(problem, "sheet", None), getattr(problem, "column", None)
    return (
        sheet.key if sheet else None,
        getattr(problem, "row", None),
        column.key if column else None,
        problem.template,
    )  # type: ignore[attr-defined]


def totals(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Cooperative, Member, MemberAccountEntry, Trade, IncomeExpense)
    )


def test_a_broken_workbook_reports_every_problem_where_it_is_and_writes_nothing(
    session: Session, tmp_path: Path
) -> None:
    before = totals(session)

    report = run_import(session, write_book(broken_book(), tmp_path / "broken.xlsx"), COOPERATIVE, today=TODAY)

    found = {where(problem) for problem in report.problems}
    assert found >= EXPECTED, sorted(EXPECTED - found, key=str)
    assert len({template for *_, template in EXPECTED}) >= 15
    assert report.blocking and not report.written
    assert totals(session) == before
    # Every message reads in Chinese, with the offending value in it where there is one.
    for problem in report.problems:
        chinese = problem.message("zh")
        assert "{" not in chinese and chinese != problem.template, chinese
    bad_amount = next(p for p in report.problems if p.template == cells.TOO_MANY_PLACES and p.column)
    assert bad_amount.message("zh") == "12.345超过2位小数：请四舍五入到2位小数（如用 =ROUND(…, 2)）后重新导入。"
    assert bad_amount.value_text() == "12.345" and bad_amount.sheet_label("zh") == "出资"


def test_a_workbook_without_the_members_sheet_is_refused(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    del book["成员"]

    report = run_import(session, write_book(book, tmp_path / "book.xlsx"), COOPERATIVE, today=TODAY)

    assert [(p.template, p.message("en")) for p in report.errors] == [
        (reader.MISSING_SHEET, "The workbook has no members sheet; it is required.")
    ]
    assert report.errors[0].message("zh") == "工作簿缺少必需的“成员”表。"


def test_a_file_that_is_not_a_workbook_is_one_clear_problem(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_text("成员编号,姓名\n", encoding="utf-8")

    report = run_import(session, path, COOPERATIVE, today=TODAY)

    assert [p.template for p in report.problems] == [reader.CANNOT_OPEN]


def test_a_sheet_without_a_header_row_names_the_columns_it_expects(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    book["出资"] = Sheet(["甲", "乙"], [{"甲": 1, "乙": 2}])

    report = run_import(session, write_book(book, tmp_path / "book.xlsx"), COOPERATIVE, today=TODAY)

    problem = next(p for p in report.problems if p.template == reader.NO_HEADER)
    assert "成员编号、日期、出资方式、金额" in problem.message("zh")


def test_english_sheet_names_and_headers_are_accepted(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    english = {"合作社": "cooperative", "成员": "members", "出资": "contributions"}
    renamed: Book = {}
    for name, sheet in book.items():
        if name in english:
            aliases = {"成员编号*": "member_code", "姓名或名称*": "name", "成员类型*": "kind"}
            mapping = {header: aliases.get(header, header) for header in sheet.header}
            sheet = Sheet(
                [mapping[h] for h in sheet.header], [{mapping[k]: v for k, v in r.items()} for r in sheet.rows]
            )
        renamed[english.get(name, name)] = sheet
    renamed["members"].rows[1]["kind"] = "farmer"

    report = run_import(session, write_book(renamed, tmp_path / "book.xlsx"), COOPERATIVE, today=TODAY)

    assert report.written and not report.problems
