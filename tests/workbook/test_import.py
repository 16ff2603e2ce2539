"""Importing real .xlsx workbooks on SQLite, PostgreSQL and MariaDB: typed exactly, idempotent, corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import (
    Account,
    AccountEntryKind,
    Bylaws,
    Cooperative,
    FiscalYear,
    FiscalYearState,
    IncomeExpense,
    LandShare,
    Member,
    MemberAccountEntry,
    Trade,
    TradeKind,
    TradeModel,
    Voucher,
    VoucherLine,
    VoucherState,
)
from coopcore.rules import membership
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.imports import COOPERATIVE, ImportReport, run_import
from coopcore.services.workbook import plan
from tests.workbook.builders import Book, cooperative_code, valid_book, write_book
from tests.workbook.dump import dump_cooperative

TODAY = dt.date(2025, 6, 30)


def run(session: Session, book: Book, path: Path, **options: object) -> ImportReport:
    return run_import(session, write_book(book, path), COOPERATIVE, today=TODAY, **options)  # type: ignore[arg-type]


def cooperative(session: Session, number: int = 1) -> Cooperative:
    return session.scalars(select(Cooperative).where(Cooperative.credit_code == cooperative_code(number))).one()


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_real_workbook_with_a_title_row_floats_and_blank_rows_is_imported_exactly(
    session: Session, tmp_path: Path
) -> None:
    report = run(session, valid_book(), tmp_path / "book.xlsx")

    assert report.messages() == []
    assert report.written and not report.blocking
    coop = cooperative(session)
    assert coop.name == "测试1号苹果专业合作社"
    assert coop.village.township.name == "测试街道" and coop.party_branch is not None
    bylaws = session.scalars(select(Bylaws).where(Bylaws.cooperative_id == coop.id)).one()
    assert (bylaws.effective_on, bylaws.provident_fund_rate, bylaws.patronage_ratio) == (
        dt.date(2021, 3, 1),
        Decimal("0.100000"),
        Decimal("0.700000"),
    )
    members = session.scalars(select(Member).where(Member.cooperative_id == coop.id).order_by(Member.code)).all()
    assert [m.code for m in members] == [f"M{n:02d}" for n in range(1, 11)]
    assert sum(m.is_founder for m in members) == 6  # joined on the founding day ([L-12])
    assert members[0].village_collective_id is not None  # the village's collective, recorded for it
    assert members[1].phone == "13800000002"  # the column was headed "联系电话 [phone]"
    shares = session.scalars(
        select(MemberAccountEntry.amount)
        .join(Member)
        .where(Member.code.in_(["M02", "M03"]), MemberAccountEntry.kind == AccountEntryKind.PROVIDENT_SHARE)
        .order_by(Member.code, MemberAccountEntry.amount)
    ).all()
    # Float cells 0.1, 0.2 and 0.1 + 0.2 arrive as the decimals the accountant saw, never as binary noise.
    assert shares == [Decimal("0.10"), Decimal("0.20"), Decimal("0.30")]
    land = session.scalars(select(MemberAccountEntry).where(MemberAccountEntry.area_mu.is_not(None))).one()
    assert (land.kind, land.amount, land.area_mu) == (
        AccountEntryKind.CONTRIBUTION_LAND,
        Decimal("2250.50"),
        Decimal("1.5000"),
    )
    trades = session.scalars(select(Trade).where(Trade.cooperative_id == coop.id).order_by(Trade.id)).all()
    assert len(trades) == 13
    assert (trades[0].quantity, trades[0].unit_price, trades[0].amount) == (
        Decimal("1250.5000"),
        Decimal("4.20"),
        Decimal("5252.10"),
    )
    assert trades[1].amount == Decimal("5256.30")  # 1251.5 × 4.20, computed half-up to the fen
    assert trades[-1].ticket_no is None and trades[-1].product.name == "复合肥"
    assert all(trade.kind is TradeKind.INTAKE for trade in trades)
    income = session.scalars(select(IncomeExpense.amount).where(IncomeExpense.cooperative_id == coop.id)).all()
    assert sorted(income) == [Decimal("-500.00"), Decimal("60000.55"), Decimal("100000.00")]
    years = session.execute(
        select(FiscalYear.year, FiscalYear.opening_undistributed).where(FiscalYear.cooperative_id == coop.id)
    ).all()
    assert sorted(years) == [(2023, Decimal("0.00")), (2024, Decimal("12000.50"))]
    assert count(session, LandShare) == 2
    assert report.counts["transactions"].created == 13 and report.counts["members"].created == 10


def test_importing_the_same_workbook_again_changes_nothing(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    run(session, book, tmp_path / "first.xlsx")
    before = dump_cooperative(session, cooperative_code(1))
    rows_before = {model: count(session, model) for model in (Member, MemberAccountEntry, Trade, IncomeExpense)}

    again = run(session, book, tmp_path / "again.xlsx")

    assert again.written and again.created == 0 and again.updated == 0
    assert all(counts.removed == 0 for counts in again.counts.values())
    assert dump_cooperative(session, cooperative_code(1)) == before
    assert {model: count(session, model) for model in rows_before} == rows_before


def test_a_corrected_workbook_updates_by_natural_key_and_reverses_changed_account_rows(
    session: Session, tmp_path: Path
) -> None:
    book = valid_book()
    run(session, book, tmp_path / "first.xlsx")
    book["成员"].set(1, "联系电话 [phone]", "13900000002")
    book["交易"].set(2, "数量*", 2000)  # ticket RK2023-0002
    book["出资"].set(1, "金额*", 6000)  # M02's cash contribution was 5,000
    book["收支"].rows.pop(1)  # the 2023 expense row is taken out
    book["土地入股"].set(1, "面积(亩)*", 2.5)

    report = run(session, book, tmp_path / "fixed.xlsx")

    assert report.written, report.messages()
    assert report.counts["members"].updated == 1
    assert (report.counts["transactions"].updated, report.counts["transactions"].created) == (1, 0)
    assert (report.counts["contributions"].created, report.counts["contributions"].removed) == (1, 1)
    assert report.counts["income_expense"].removed == 1
    assert report.counts["land_shares"].updated == 1
    coop = cooperative(session)
    assert count(session, Trade) == 13
    ticket = session.scalars(select(Trade).where(Trade.ticket_no == "RK2023-0002")).one()
    assert (ticket.quantity, ticket.amount) == (Decimal("2000.0000"), Decimal("8400.00"))
    m02 = session.scalars(select(Member).where(Member.cooperative_id == coop.id, Member.code == "M02")).one()
    entries = session.scalars(
        select(MemberAccountEntry)
        .where(MemberAccountEntry.member_id == m02.id, MemberAccountEntry.kind == AccountEntryKind.CONTRIBUTION_CASH)
        .order_by(MemberAccountEntry.id)
    ).all()
    # Append-only: the 5,000 entry stays, a reversal cancels it, and the 6,000 entry is new.
    assert [e.amount for e in entries] == [Decimal("5000.00"), Decimal("6000.00"), Decimal("-5000.00")]
    assert entries[2].reverses_id == entries[0].id and entries[2].entry_on == entries[0].entry_on
    assert sum(e.amount for e in entries) == Decimal("6000.00")
    assert m02.phone == "13900000002"
    assert sorted(session.scalars(select(IncomeExpense.amount).where(IncomeExpense.cooperative_id == coop.id))) == [
        Decimal("-500.00"),
        Decimal("100000.00"),
    ]
    assert session.scalar(select(func.sum(LandShare.area_mu))) == Decimal("4.0000")

    third = run(session, book, tmp_path / "third.xlsx")
    assert third.created == 0 and third.updated == 0  # the correction itself is idempotent


def test_a_sheet_only_replaces_the_years_it_has_rows_for(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    run(session, book, tmp_path / "first.xlsx")
    book["交易"].rows = [row for row in book["交易"].rows if row["日期*"].year == 2024]
    book["交易"].rows.pop(0)

    report = run(session, book, tmp_path / "2024.xlsx")

    assert report.counts["transactions"].removed == 1
    assert session.scalar(select(func.count()).where(Trade.traded_on < dt.date(2024, 1, 1))) == 6


def test_rows_dated_in_a_closed_fiscal_year_are_refused_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    book = valid_book()
    run(session, book, tmp_path / "first.xlsx")
    coop = cooperative(session)
    year = session.scalars(
        select(FiscalYear).where(FiscalYear.cooperative_id == coop.id, FiscalYear.year == 2023)
    ).one()
    year.state = FiscalYearState.CLOSED
    session.flush()
    before = dump_cooperative(session, coop.credit_code)
    book["交易"].set(1, "单价*", 4.5)  # a 2023 ticket
    book["收支"].rows.append({"日期*": dt.date(2023, 12, 1), "科目*": "管理费用", "金额*": 800, "摘要": "补记"})
    book["交易"].set(7, "单价*", 4.4)  # a 2024 ticket: fine on its own

    report = run(session, book, tmp_path / "late.xlsx")

    closed = [p for p in report.problems if "closed fiscal year" in p.template]
    assert [(p.sheet.key if p.sheet else None, p.row) for p in closed] == [
        ("transactions", 3),
        ("income_expense", 5),
    ]
    assert "2023年度" in closed[0].message("zh") and "已结账" in closed[0].message("zh")
    assert not report.written
    assert dump_cooperative(session, coop.credit_code) == before


def test_unchanged_rows_of_a_closed_year_import_without_complaint(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    run(session, book, tmp_path / "first.xlsx")
    coop = cooperative(session)
    for year in session.scalars(select(FiscalYear).where(FiscalYear.cooperative_id == coop.id)):
        year.state = FiscalYearState.CLOSED
    session.flush()

    report = run(session, book, tmp_path / "again.xlsx")

    assert report.written and not report.problems


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(session: Session, tmp_path: Path) -> None:
    report = run(session, valid_book(), tmp_path / "book.xlsx", dry_run=True)

    assert report.dry_run and not report.written and not report.problems
    assert report.counts["members"].created == 10
    assert (
        count(session, Cooperative) == 0
        or session.scalar(select(Cooperative).where(Cooperative.credit_code == cooperative_code(1))) is None
    )


def test_a_roster_below_eighty_percent_farmers_is_blocked_by_the_law(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    for index in (5, 6, 7):
        book["成员"].set(index, "成员类型*", "非农个人")

    report = run(session, book, tmp_path / "book.xlsx")

    assert len(report.errors) == 1
    assert report.errors[0].message("en").startswith("Farmers are 6 of 10 members; at least 80% (8) are required")
    assert "百分之八十" in report.errors[0].message("zh")
    assert not report.written


def test_yantai_practice_is_a_warning_and_the_workbook_is_imported(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    book["出资"].set(2, "金额*", 90000)  # one household holds most of the capital

    report = run(session, book, tmp_path / "book.xlsx")

    assert report.written
    assert [p.severity.value for p in report.problems] == ["warning"]
    assert "Yantai" in report.problems[0].message("en")


def test_big_sheets_keep_column_defaults_also_when_postgresql_copies_them(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    income = book["收支"]
    income.header.remove("摘要")
    income.rows = [
        {"日期*": dt.date(2024, 1, 1) + dt.timedelta(days=n % 300), "科目*": "管理费用", "金额*": 10 + n}
        for n in range(1500)
    ]

    report = run(session, book, tmp_path / "book.xlsx")

    assert report.written, report.messages()
    memos = session.scalars(select(IncomeExpense.memo).where(IncomeExpense.cooperative_id == cooperative(session).id))
    assert set(memos) == {""}


def test_an_import_may_close_earlier_years_after_writing_them_but_never_reopens_one(
    session: Session, tmp_path: Path
) -> None:
    book = valid_book()
    book["年度结转"].header.append("已结账")
    book["年度结转"].set(0, "已结账", "是")

    first = run(session, book, tmp_path / "first.xlsx")

    assert first.written, first.messages()
    coop = cooperative(session)
    states = dict(
        session.execute(select(FiscalYear.year, FiscalYear.state).where(FiscalYear.cooperative_id == coop.id)).all()
    )
    assert states == {2023: FiscalYearState.CLOSED, 2024: FiscalYearState.OPEN}
    assert session.scalar(select(func.count()).where(Trade.traded_on < dt.date(2024, 1, 1))) == 6
    # Closed as every year is: its December closed in the books, its vouchers posted, its result carried.
    latest = ledger.latest_closed(session, coop)
    assert latest is not None and (latest.year, latest.month) == (2023, 12)
    states_2023 = set(
        session.scalars(select(Voucher.state).where(Voucher.cooperative_id == coop.id, Voucher.year == 2023))
    )
    assert states_2023 == {VoucherState.POSTED}
    balance = ledger.trial_balance(session, coop, 2023)
    assert balance.balanced and all(
        not row.columns.closing_debit and not row.columns.closing_credit for row in balance.rows if row.code[0] == "5"
    )
    book["年度结转"].set(0, "已结账", "否")

    again = run(session, book, tmp_path / "again.xlsx")

    assert again.written and not again.errors  # the template's 否 does not block the accountant's own workbook
    assert [p.template for p in again.warnings] == [plan.REOPEN]
    assert "导入不会重新打开已结账的年度" in again.warnings[0].message("zh")
    assert session.scalar(select(FiscalYear.state).where(FiscalYear.year == 2023)) is FiscalYearState.CLOSED


def test_a_listed_ticket_with_an_unreadable_cell_is_reported_once_not_as_removed(
    session: Session, tmp_path: Path
) -> None:
    book = valid_book()
    assert run(session, book, tmp_path / "first.xlsx").written
    row = book["交易"].rows[0]
    row["数量*"] = "12.34567"  # five decimals: the row's own error

    again = run(session, book, tmp_path / "again.xlsx", dry_run=True)

    assert len(again.errors) == 1 and again.errors[0].row is not None, again.messages()
    assert again.counts["transactions"].removed == 0


def full_width(text: str) -> str:
    """The characters as a Chinese input method types them in full-width mode (９３３７…, Ｘ)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def test_ids_typed_in_full_width_or_with_unicode_spaces_are_stored_in_ascii(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    code = cooperative_code(1)
    book["合作社"].set(0, "统一社会信用代码*", full_width(code[:8]) + "\u3000" + full_width(code[8:]))
    members = book["成员"].rows
    typed = [members[1]["证件号码*"], members[2]["证件号码*"], members[0]["证件号码*"]]
    members[1]["证件号码*"] = full_width(typed[0])
    members[2]["证件号码*"] = typed[1][:6] + "\u00a0" + typed[1][6:14] + "\u00a0" + typed[1][14:]
    members[0]["证件号码*"] = "\u3000" + full_width(typed[2]) + "\u200b"  # the collective's credit code

    report = run(session, book, tmp_path / "full-width.xlsx")

    assert report.messages() == [] and report.written
    stored = session.scalars(
        select(Member.id_number).where(Member.cooperative_id == cooperative(session).id).order_by(Member.code)
    ).all()
    assert [stored[1], stored[2], stored[0]] == typed
    assert all(number.isascii() for number in stored)


def founded_before_everyone_joined(book: Book) -> Book:
    """The registration date (成立日期) precedes every 入社日期: by the dates alone nobody was there at founding."""
    book["合作社"].set(0, "成立日期", dt.date(2021, 2, 20))
    return book


def test_a_registered_cooperative_without_its_founders_marked_is_imported_with_a_warning_naming_the_column(
    session: Session, tmp_path: Path
) -> None:
    report = run(session, founded_before_everyone_joined(valid_book()), tmp_path / "no-founders.xlsx")

    assert report.written and not report.errors
    [warning] = [problem for problem in report.warnings if problem.template == membership.FOUNDERS_NOT_MARKED]
    assert warning.column is not None and warning.column_label("zh") == "设立成员"
    assert "设立成员" in warning.message("zh") and "0名" in warning.message("zh")
    assert not any("本社设立时的成员只有" in line for line in report.messages())


def test_a_provident_rate_outside_yantai_practice_is_a_warning_at_the_rate_cell(
    session: Session, tmp_path: Path
) -> None:
    book = valid_book()
    book["合作社"].rows[0]["公积金提取比例*"] = 0.15

    report = run(session, book, tmp_path / "rate.xlsx", dry_run=True)

    [warning] = [p for p in report.warnings if p.template == membership.PROVIDENT_RATE]
    assert (warning.sheet_label("zh"), warning.row, warning.column_label("zh")) == ("合作社", 2, "公积金提取比例")


def test_founders_marked_in_the_column_and_fewer_than_five_are_still_refused(session: Session, tmp_path: Path) -> None:
    book = founded_before_everyone_joined(valid_book())
    book["成员"].header.append("设立成员")
    for index, row in enumerate(book["成员"].rows):
        row["设立成员"] = "是" if index < 3 else "否"

    report = run(session, book, tmp_path / "three-founders.xlsx")

    assert not report.written
    assert [problem.template for problem in report.errors] == [membership.FOUNDERS]
    assert "本社设立时的成员只有3名" in report.messages()[0]


def test_the_cooperative_sheet_may_name_the_bylaws_trade_model_and_intake_is_booked_under_it(
    session: Session, tmp_path: Path
) -> None:
    book = valid_book()
    run(session, book, tmp_path / "first.xlsx")
    assert cooperative(session).trade_model is TradeModel.PURCHASE  # no column: the default

    book["合作社"].header.append("产品经营模式")
    book["合作社"].set(0, "产品经营模式", "受托代销")
    run(session, book, tmp_path / "agency.xlsx")
    assert cooperative(session).trade_model is TradeModel.AGENCY
    stock = session.scalars(
        select(Account.code)
        .join(VoucherLine, VoucherLine.account_id == Account.id)
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(Voucher.cooperative_id == cooperative(session).id, Voucher.source_ref.like("trade:%:intake%"))
        .where(Account.code.in_(("121", "128")), VoucherLine.debit > 0)
    ).all()
    assert stock and set(stock) == {"128"}  # the books' months are open and unposted: all booked again

    book["合作社"].header.remove("产品经营模式")
    run(session, book, tmp_path / "without.xlsx")
    assert cooperative(session).trade_model is TradeModel.AGENCY  # a column left out leaves the field as it is


def test_the_years_an_import_closes_report_where_the_books_and_the_member_accounts_differ(
    session: Session, tmp_path: Path
) -> None:
    book = valid_book()
    assert run(session, book, tmp_path / "first.xlsx").written
    coop = cooperative(session)
    # A contribution typed straight into the books, around the member account: 301 of M02 differs from the register.
    typed = ledger.add_voucher(session, coop, on=dt.date(2023, 6, 1), summary="补记出资", by="张会计",
                               lines=[EntryLine("102", debit=Decimal("500.00")),
                                      EntryLine("301", credit=Decimal("500.00"), member="M02")])  # fmt: skip
    ledger.audit_voucher(session, typed, by="李审核")
    ledger.post_voucher(session, typed, by="李审核")
    book["年度结转"].header.append("已结账")
    book["年度结转"].set(0, "已结账", "是")

    closing = run(session, book, tmp_path / "closing.xlsx")

    assert closing.written and not closing.errors, closing.messages()
    # And the valid book's 2023 provident shares (0.60), quantified with no extraction to 322 in its books.
    assert [warning.rule for warning in closing.warnings] == ["reconcile_capital", "reconcile_provident"]
    assert "M02" in closing.messages()[0] and "500.00" in closing.messages()[0]
    assert "0.60" in closing.messages()[1]
