"""The voucher sheets and the books' numbering and opening voucher: numbers as typed and gapless, the opening
voucher last in its month, replaced while a draft, never over books that already run (all backends)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from coopcore.models import Role, User, VoucherOrigin, VoucherState
from coopcore.services import ledger
from coopcore.services.access import load_scope
from coopcore.services.imports import VOUCHERS, run_import
from coopcore.services.workbook import voucher_opening, voucher_plan, voucher_rows
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books
from tests.workbook.voucher_books import (
    TODAY,
    counts,
    opening_rows,
    run,
    voucher_book,
    vouchers_of,
)
from tests.workbook.voucher_books import (
    voucher_rows as sheet_rows,
)

D = Decimal
pytestmark = pytest.mark.backends


def places(session: Session, cooperative: object) -> list[tuple[int, int, str]]:
    return [(v.month, v.number, v.origin.value) for v in vouchers_of(session, cooperative)]  # type: ignore[arg-type]


def test_a_sheet_voucher_that_takes_the_opening_voucher_s_number_sends_it_to_the_end_of_the_month(
    session: Session, tmp_path: Path
) -> None:
    cooperative = make_books(session)
    run(session, voucher_book(tmp_path / "books.xlsx", cooperative))
    assert places(session, cooperative)[:3] == [(7, 1, "workbook"), (7, 2, "workbook"), (7, 3, "opening")]
    rows = [*sheet_rows(),
            [day("2024-07-20"), "记", 3, "借款", "102", None, None, None, 5000, None],
            [day("2024-07-20"), "记", 3, "借款", "201", None, None, None, None, 5000]]  # fmt: skip

    report = run(session, voucher_book(tmp_path / "more.xlsx", cooperative, vouchers=rows))

    assert report.messages() == [] and counts(report)["vouchers"] == (1, 0, 3, 0)
    assert places(session, cooperative)[:4] == [(7, 1, "workbook"), (7, 2, "workbook"), (7, 3, "workbook"),
                                                (7, 4, "opening")]  # fmt: skip


def test_numbers_given_twice_in_a_month_or_leaving_a_gap_are_refused(session: Session, tmp_path: Path) -> None:
    cooperative = make_books(session)
    rows = [[day("2024-07-05"), "收", 1, "收款", "102", None, None, None, 10, None],
            [day("2024-07-05"), "收", 1, None, "501", None, None, None, None, 10],
            [day("2024-07-06"), "付", 1, "付款", "521", None, None, None, 10, None],  # 4
            [day("2024-07-06"), "付", 1, None, "102", None, None, None, None, 10],
            [day("2024-07-09"), "转", 3, "转账", "521", None, None, None, 10, None],  # 6
            [day("2024-07-09"), "转", 3, None, "101", None, None, None, None, 10]]  # fmt: skip

    report = run(session, voucher_book(tmp_path / "words.xlsx", cooperative, accounts=[], opening=[], vouchers=rows))

    assert [(p.row, p.column.key if p.column else None, p.template) for p in report.in_order()] == [
        (4, "number", voucher_rows.NUMBER_TWICE),
        (6, "number", voucher_rows.GAP),
    ]
    assert "2024-07的凭证号会缺2号" in report.errors[1].message("zh")
    assert vouchers_of(session, cooperative) == []


def test_vouchers_before_the_books_start_are_refused(session: Session, tmp_path: Path) -> None:
    cooperative = make_books(session)
    rows = sheet_rows()

    report = run(session, voucher_book(tmp_path / "early.xlsx", cooperative, start="2024-08", vouchers=rows))

    assert {(p.row, p.template) for p in report.errors} >= {(2, voucher_rows.BEFORE_START),
                                                           (4, voucher_rows.BEFORE_START)}  # fmt: skip
    assert not report.written


def test_a_draft_opening_voucher_follows_the_sheet_and_moves_with_the_start_month(
    session: Session, tmp_path: Path
) -> None:
    cooperative = make_books(session)
    run(session, voucher_book(tmp_path / "books.xlsx", cooperative))
    opening = opening_rows()
    opening[1][4], opening[5][5] = 86000, 49500  # 102 down 500, 301 M001 down 500: still balanced

    changed = run(session, voucher_book(tmp_path / "changed.xlsx", cooperative, opening=opening))

    assert changed.messages() == [] and counts(changed)["opening"] == (0, 1, 0, 0)
    [book_opening] = [v for v in vouchers_of(session, cooperative) if v.origin is VoucherOrigin.OPENING]
    assert (book_opening.month, book_opening.number) == (7, 3) and book_opening.lines[1].debit == D("86000.00")

    moved = run(session, voucher_book(tmp_path / "june.xlsx", cooperative, start="2024-06", opening=opening))

    assert moved.messages() == [] and counts(moved)["opening"] == (0, 1, 0, 0)
    assert places(session, cooperative) == [(6, 1, "opening"), (7, 1, "workbook"), (7, 2, "workbook"),
                                            (8, 1, "workbook")]  # fmt: skip
    assert book_opening.voucher_date == dt.date(2024, 6, 1)

    emptied = run(session, voucher_book(tmp_path / "none.xlsx", cooperative, start="2024-06", opening=[]))

    assert emptied.messages() == [] and counts(emptied)["opening"] == (0, 0, 0, 1)
    assert [origin for _, _, origin in places(session, cooperative)] == ["workbook"] * 3


def test_an_opening_voucher_audited_or_over_books_that_already_run_is_refused(session: Session, tmp_path: Path) -> None:
    cooperative = make_books(session)
    run(session, voucher_book(tmp_path / "books.xlsx", cooperative, vouchers=[]))
    [book_opening] = vouchers_of(session, cooperative)
    ledger.audit_voucher(session, book_opening, by=AUDITOR)
    opening = opening_rows()
    opening[1][4], opening[5][5] = 86000, 49500

    locked = run(session, voucher_book(tmp_path / "changed.xlsx", cooperative, opening=opening, vouchers=[]))

    assert [p.template for p in locked.errors] == [voucher_opening.LOCKED]
    assert "已审核" in locked.errors[0].message("zh")

    running = make_books(session, 2)
    ledger.add_voucher(session, running, on=day("2024-05-03"), summary="五月",
                       lines=[dr("101", "10.00"), cr("102", "10.00")], by=PREPARER)  # fmt: skip
    late = run(session, voucher_book(tmp_path / "late.xlsx", running, vouchers=[]))

    assert [p.template for p in late.errors] == [voucher_opening.AFTER_BOOKS]
    assert "2024-05 记-1" in late.errors[0].message("zh") and not late.written


def test_an_accountant_imports_only_the_books_of_their_own_cooperatives_and_prepares_the_vouchers(
    session: Session, tmp_path: Path
) -> None:
    mine, theirs = make_books(session, 1), make_books(session, 2)
    accountant = User(username="wang", password_hash="x", role=Role.ACCOUNTANT, cooperatives=[mine])
    session.add(accountant)
    session.flush()
    scope = load_scope(session, accountant)

    refused = run_import(session, voucher_book(tmp_path / "t.xlsx", theirs), VOUCHERS, today=TODAY, actor=scope)
    imported = run_import(session, voucher_book(tmp_path / "m.xlsx", mine), VOUCHERS, today=TODAY, actor=scope)

    assert [p.template for p in refused.errors] == [voucher_plan.NOT_YOURS] and vouchers_of(session, theirs) == []
    assert imported.messages() == []
    assert {(v.prepared_by, v.state) for v in vouchers_of(session, mine)} == {("wang", VoucherState.DRAFT)}
