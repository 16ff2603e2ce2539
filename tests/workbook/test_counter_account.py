"""The 收支 sheet's 对方科目: each row is booked against it (102 when blank or without the column), an export writes
it and re-imports unchanged, and an account no row can be booked against (a blank 102 included) is refused at its
row and column, in the dry run as in the import. Every backend.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Account, Cooperative, IncomeExpense, Voucher, VoucherLine
from coopcore.services import ledger
from coopcore.services.imports import COOPERATIVE, ImportReport, export_workbook, run_import
from coopcore.services.ledger.sync import INCOME_EXPENSE
from coopcore.services.year_end import year_surplus
from tests.workbook.builders import Book, cooperative_code, valid_book, write_book

TODAY = dt.date(2025, 6, 30)
COUNTER = "对方科目"


def run(session: Session, book: Book, path: Path, **options: object) -> ImportReport:
    return run_import(session, write_book(book, path), COOPERATIVE, today=TODAY, **options)  # type: ignore[arg-type]


def with_counter_accounts(*codes: object) -> Book:
    book = valid_book()
    book["收支"].header.append(COUNTER)
    for index, code in enumerate(codes):
        book["收支"].set(index, COUNTER, code)
    return book


def cooperative(session: Session) -> Cooperative:
    return session.scalars(select(Cooperative).where(Cooperative.credit_code == cooperative_code(1))).one()


def counter_accounts(session: Session) -> dict[str, str]:
    """Each 收支 row's memo and the account its voucher books it against (the line not on profit and loss)."""
    rows = session.scalars(select(IncomeExpense).where(IncomeExpense.cooperative_id == cooperative(session).id))
    found = {}
    for row in rows:
        codes = session.scalars(
            select(Account.code)
            .join(VoucherLine, VoucherLine.account_id == Account.id)
            .join(Voucher, Voucher.id == VoucherLine.voucher_id)
            .where(Voucher.source_ref == INCOME_EXPENSE.ref(row.id), ~Account.code.startswith("5"))
        ).all()
        found[row.memo] = "".join(codes)
    return found


def test_each_row_is_booked_against_its_counter_account_and_a_blank_or_absent_one_is_102(
    session: Session, tmp_path: Path
) -> None:
    report = run(session, with_counter_accounts("101", None, "113"), tmp_path / "counter.xlsx")

    assert report.written, report.messages()
    assert counter_accounts(session) == {"苹果销售收入": "101", "收购苹果支出": "102", "联合社投资损失": "113"}
    assert year_surplus(session, cooperative(session).id, 2023) == Decimal("39999.45")


def test_a_workbook_without_the_column_books_every_row_against_102(session: Session, tmp_path: Path) -> None:
    assert run(session, valid_book(), tmp_path / "plain.xlsx").written
    assert set(counter_accounts(session).values()) == {"102"}


def test_the_export_writes_the_counter_account_and_reimports_unchanged(session: Session, tmp_path: Path) -> None:
    assert run(session, with_counter_accounts("101", None, "113"), tmp_path / "first.xlsx").written
    path = tmp_path / "export.xlsx"
    export_workbook(session, cooperative_code(1), path)
    rows = list(load_workbook(path)["收支"].iter_rows(values_only=True))
    column, memo = rows[0].index(COUNTER), rows[0].index("摘要")
    assert {row[memo]: row[column] for row in rows[1:]} == {
        "苹果销售收入": "101",
        "收购苹果支出": "102",
        "联合社投资损失": "113",
    }
    vouchers = session.scalar(select(func.count()).select_from(Voucher))

    report = run_import(session, path, COOPERATIVE, today=TODAY)

    assert report.written and report.messages() == []
    assert all((c.created, c.updated, c.removed) == (0, 0, 0) for c in report.counts.values())
    assert counter_accounts(session) == {"苹果销售收入": "101", "收购苹果支出": "102", "联合社投资损失": "113"}
    assert session.scalar(select(func.count()).select_from(Voucher)) == vouchers


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("501", "损益类"),  # profit and loss itself
        ("331", "本年盈余"),  # the year's result
        ("114", "按成员设明细账"),  # kept per member
        ("33202", "盈余分配"),  # 332—未分配盈余: the year's result once carried
        ("999", "没有可记账的科目"),
        ("银行", "不是科目代码"),
    ],
)
def test_an_account_no_row_can_be_booked_against_is_refused_at_its_row_and_column_and_nothing_is_written(
    session: Session, tmp_path: Path, code: str, words: str
) -> None:
    report = run(session, with_counter_accounts(None, code), tmp_path / "wrong.xlsx", dry_run=True)

    assert report.blocking and not report.written
    assert [line for line in report.messages() if line.startswith(f"收支 3 {COUNTER}") and words in line], (
        report.messages()
    )
    assert session.scalar(select(func.count()).select_from(Cooperative)) == 0


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_blank_counter_account_is_102_and_refused_at_its_cell_once_102_has_detail_accounts(
    session: Session, tmp_path: Path, dry_run: bool
) -> None:
    assert run(session, with_counter_accounts("101", None, "113"), tmp_path / "first.xlsx").written
    ledger.add_account(session, cooperative(session), "10201", "农行存款", "102")  # 102 takes no bookings now
    book = with_counter_accounts("101", None, "113")
    book["收支"].rows.append({"日期*": dt.date(2024, 4, 30), "科目*": "经营收入", "金额*": 80, "摘要": "零售苹果"})

    report = run(session, book, tmp_path / "second.xlsx", dry_run=dry_run)

    # The new row only: the unchanged blank row 3 keeps its voucher on 102, booked before 102 was split.
    assert report.blocking and not report.written
    assert report.messages() == [
        f"收支 5 {COUNTER}: 对方科目留空即为 102 银行存款，但本账簿的 102 不能直接记账（已停用或设有明细科目）："
        "请填写该笔收支对应的科目（如 102 的明细科目）。"
    ]
    assert "零售苹果" not in counter_accounts(session)

    book["收支"].set(3, COUNTER, "10201")
    assert run(session, book, tmp_path / "third.xlsx", dry_run=dry_run).messages() == []
    if not dry_run:
        assert counter_accounts(session)["零售苹果"] == "10201"
