"""The voucher sheets: a cooperative's chart additions, opening balances and vouchers from Excel, all or nothing,
checked by the books' own rules, idempotent by voucher number (all backends)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Account, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.rules import ledger as rules
from coopcore.services import ledger
from coopcore.services.workbook import voucher_opening, voucher_rows
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books
from tests.workbook.voucher_books import (
    counts,
    opening_rows,
    post_all,
    run,
    voucher_book,
    vouchers_of,
)
from tests.workbook.voucher_books import (
    voucher_rows as sheet_rows,
)

D = Decimal
pytestmark = pytest.mark.backends


def test_a_clean_workbook_adds_accounts_books_the_opening_and_drafts_the_vouchers_under_their_numbers(
    session: Session, tmp_path: Path
) -> None:
    cooperative = make_books(session)
    report = run(session, voucher_book(tmp_path / "books.xlsx", cooperative))

    assert report.messages() == [] and report.written
    assert counts(report) == {"accounts": (2, 0, 0, 0), "opening": (1, 0, 0, 0), "vouchers": (3, 0, 0, 0)}
    accounts = ledger.accounts_by_code(session, cooperative)
    assert accounts["5010101"].parent is accounts["50101"] and accounts["50101"].name == "苹果销售"
    vouchers = vouchers_of(session, cooperative)
    assert [(v.year, v.month, v.word, v.number, v.origin) for v in vouchers] == [
        (2024, 7, "记", 1, VoucherOrigin.WORKBOOK),
        (2024, 7, "记", 2, VoucherOrigin.WORKBOOK),
        (2024, 7, "记", 3, VoucherOrigin.OPENING),  # the last of its month: the sheet's numbers stay as typed
        (2024, 8, "记", 1, VoucherOrigin.WORKBOOK),
    ]
    assert {(v.state, v.prepared_by) for v in vouchers} == {(VoucherState.DRAFT, "workbook")}
    sale, _, opening, machine = vouchers
    assert (sale.voucher_date, sale.summary, sale.attachments) == (dt.date(2024, 7, 5), "收到苹果货款", 2)
    assert [(line.summary, line.debit, line.credit, line.counterparty, line.quantity, line.unit_price)
            for line in sale.lines] == [
        ("收到苹果货款", D("12000.00"), D("0.00"), "烟台鲁果果品有限公司", None, None),
        ("", D("0.00"), D("12000.00"), "", D("5000"), D("2.4")),
    ]  # fmt: skip
    assert (opening.voucher_date, opening.summary, len(opening.lines)) == (dt.date(2024, 7, 1), "期初余额", 6)
    assert [line.poverty_asset for line in machine.lines] == [False, None]

    post_all(session, cooperative)
    balance = ledger.trial_balance(session, cooperative, 2024)
    assert balance.balanced
    assert balance.row("102").columns.amounts() == (
        D("86500.00"), D("0"), D("12000.00"), D("6000.00"), D("92500.00"), D("0"))  # fmt: skip
    assert balance.row("301").columns.opening_credit == D("97300.00")
    assert ledger.member_balances(session, cooperative, "114", 2024) == {"M001": D("300.00"), "M002": D("800.00")}


def test_a_broken_workbook_lists_every_problem_in_sheet_row_column_order_and_writes_nothing(
    session: Session, tmp_path: Path
) -> None:
    cooperative = make_books(session)
    typed = ledger.add_voucher(session, cooperative, on=day("2024-07-02"), summary="手工录入",
                               lines=[dr("101", "50.00"), cr("102", "50.00")], by=PREPARER)  # fmt: skip
    ledger.close_period(session, cooperative, 2024, 6, by=AUDITOR)
    before = session.scalar(select(func.count()).select_from(Voucher))
    accounts = [["50101", "苹果销售", "501"], ["50201", "梨", "501"]]
    opening = [["101", "库存现金", None, None, 300, None], ["301", "股金", "M001", None, None, 300]]
    rows = [
        [day("2024-07-03"), "记", 1, "货款", "102", None, None, None, 100, None],  # 1: typed by hand
        [day("2024-07-03"), "记", 1, None, "50101", None, None, None, None, 100],
        [day("2024-07-04"), "记", 2, "不平", "101", None, None, None, 100, None],  # 4
        [day("2024-07-04"), "记", 2, None, "102", None, None, None, None, 90],
        [day("2024-07-05"), "记", 3, "科目", "9999", None, None, None, 10, None],  # 6
        [day("2024-07-05"), "记", 3, None, "501", None, None, None, None, 10],
        [day("2024-07-06"), "记", 4, "成员", "114", None, None, None, 10, None],  # 8
        [day("2024-07-06"), "记", 4, None, "301", None, "M999", None, None, 10],
        [day("2024-07-07"), "记", 5, "两边", "101", None, None, None, 10, 10],  # 10
        [day("2024-07-07"), "记", 5, None, "102", None, None, None, None, None],
        [day("2024-06-30"), "记", 1, "已结账", "101", None, None, None, 10, None],  # 12
        [day("2024-06-30"), "记", 1, None, "102", None, None, None, None, 10],
    ]
    path = voucher_book(tmp_path / "bad.xlsx", cooperative, start="2024-06", accounts=accounts, opening=opening,
                        vouchers=rows)  # fmt: skip

    report = run(session, path)

    found = [
        (p.sheet.key if p.sheet else "", p.row, p.column.key if p.column else "", p.template) for p in report.in_order()
    ]
    assert found == [
        ("accounts", 3, "account_code", rules.ACCOUNT_NOT_UNDER),
        ("opening", None, "", voucher_opening.CLOSED),
        ("vouchers", 2, "number", voucher_rows.NUMBER_TAKEN),
        ("vouchers", 4, "debit", voucher_rows.UNBALANCED),
        ("vouchers", 6, "account_code", rules.UNKNOWN_ACCOUNT),
        ("vouchers", 7, "account_code", rules.NOT_A_LEAF),
        ("vouchers", 8, "member_code", rules.MEMBER_MISSING),
        ("vouchers", 9, "member_code", rules.UNKNOWN_MEMBER),
        ("vouchers", 10, "debit", rules.ONE_SIDE),
        ("vouchers", 11, "debit", rules.ONE_SIDE),
        ("vouchers", 12, "number", voucher_rows.CLOSED),
    ]
    assert not report.written
    assert session.scalar(select(func.count()).select_from(Voucher)) == before
    assert session.scalar(select(func.count()).select_from(Account).where(Account.code == "50101")) == 0
    messages = report.messages("zh")
    assert "凭证2024-07 记-2" in " ".join(messages) and "借方合计100.00" in " ".join(messages)
    assert any(message.startswith("凭证 6 科目编码: 第6行：") for message in messages), messages
    assert ledger.voucher_name(typed) in " ".join(messages)


def test_opening_balances_that_do_not_balance_are_refused_with_the_difference(session: Session, tmp_path: Path) -> None:
    cooperative = make_books(session)
    opening = [*opening_rows(), ["121", "产品物资", None, None, 100.5, None]]

    report = run(session, voucher_book(tmp_path / "books.xlsx", cooperative, opening=opening))

    [problem] = report.errors
    assert (problem.sheet.key if problem.sheet else None, problem.template) == ("opening", voucher_opening.UNBALANCED)
    assert problem.message("zh") == "期初余额试算不平衡：借方合计97400.50，贷方合计97300.00，差额100.50。"
    assert not report.written and vouchers_of(session, cooperative) == []


def test_importing_the_same_workbook_again_changes_nothing_and_a_changed_draft_is_replaced(
    session: Session, tmp_path: Path
) -> None:
    cooperative = make_books(session)
    path = voucher_book(tmp_path / "books.xlsx", cooperative)
    run(session, path)
    versions = {v.id: v.version for v in vouchers_of(session, cooperative)}

    again = run(session, path)

    assert again.messages() == []
    assert counts(again) == {"accounts": (0, 0, 2, 0), "opening": (0, 0, 1, 0), "vouchers": (0, 0, 3, 0)}
    session.expire_all()
    assert {v.id: v.version for v in vouchers_of(session, cooperative)} == versions

    rows = sheet_rows()
    rows[2][8] = rows[3][9] = 900  # July 记-2: 800 → 900
    changed = run(session, voucher_book(tmp_path / "changed.xlsx", cooperative, vouchers=rows))

    assert counts(changed)["vouchers"] == (0, 1, 2, 0)
    july_2 = next(v for v in vouchers_of(session, cooperative) if (v.month, v.number) == (7, 2))
    assert july_2.id in versions and [line.debit + line.credit for line in july_2.lines] == [D("900.00")] * 2

    renamed = [["50101", "苹果销售", "501"], ["5010101", "红富士", "50101"], ["501", "经营收入", "5"]]
    report = run(session, voucher_book(tmp_path / "renamed.xlsx", cooperative, accounts=renamed, vouchers=rows))

    assert [(p.row, p.template) for p in report.errors] == [(4, rules.ACCOUNT_NO_PARENT)]  # 501 is the chart's
    assert counts(report)["accounts"] == (0, 1, 1, 0)
    renamed.pop()
    assert counts(run(session, voucher_book(tmp_path / "ok.xlsx", cooperative, accounts=renamed, vouchers=rows))) == {
        "accounts": (0, 1, 1, 0), "opening": (0, 0, 1, 0), "vouchers": (0, 0, 3, 0)}  # fmt: skip
    assert ledger.accounts_by_code(session, cooperative)["5010101"].name == "红富士"


def test_a_changed_voucher_that_is_audited_or_posted_is_refused_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    cooperative = make_books(session)
    run(session, voucher_book(tmp_path / "books.xlsx", cooperative))
    july_1, july_2, *_ = vouchers_of(session, cooperative)
    ledger.audit_voucher(session, july_1, by=AUDITOR)
    ledger.post_voucher(session, july_1, by=AUDITOR)
    ledger.audit_voucher(session, july_2, by=AUDITOR)
    rows = sheet_rows()
    rows[0][8] = rows[1][9] = 12500  # July 记-1: posted
    rows[2][3] = "成员化肥赊销"  # July 记-2: audited
    rows[4][8] = rows[5][9] = 6100  # August 记-1: a draft, would be replaced

    report = run(session, voucher_book(tmp_path / "changed.xlsx", cooperative, vouchers=rows))

    assert [(p.row, p.template) for p in report.in_order()] == [
        (2, voucher_rows.POSTED_CHANGED),
        (4, voucher_rows.AUDITED_CHANGED),
    ]
    assert "红字冲销" in report.errors[0].message("zh")
    august = vouchers_of(session, cooperative)[-1]
    assert not report.written and august.lines[0].debit == D("6000.00")


def test_a_voucher_typed_by_hand_is_never_changed_but_the_same_voucher_is_matched(
    session: Session, tmp_path: Path
) -> None:
    cooperative = make_books(session)
    ledger.add_voucher(session, cooperative, on=day("2024-07-05"), summary="收到苹果货款",
                       lines=[dr("102", "12000.00"), cr("501", "12000.00")], by=PREPARER)  # fmt: skip
    same = [[day("2024-07-05"), "记", 1, "收到苹果货款", "102", None, None, None, 12000, None],
            [day("2024-07-05"), "记", 1, "收到苹果货款", "501", None, None, None, None, 12000]]  # fmt: skip

    report = run(session, voucher_book(tmp_path / "same.xlsx", cooperative, accounts=[], opening=[], vouchers=same))

    assert report.messages() == [] and counts(report)["vouchers"] == (0, 0, 1, 0)
    [typed] = vouchers_of(session, cooperative)
    assert (typed.origin, typed.prepared_by) == (VoucherOrigin.MANUAL, PREPARER)
    lines = select(func.count()).select_from(VoucherLine).where(VoucherLine.voucher_id == typed.id)
    assert session.scalar(lines) == 2
