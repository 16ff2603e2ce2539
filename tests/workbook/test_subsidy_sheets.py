"""The workbook carries every record the books need: subsidy money (专项应付款 sheet), how special-fund property
formed (形成方式, 资产科目), a contribution's premium (溢价) and an input's service fee (服务费). Each row books its
voucher, an export re-imports unchanged, and a row that would skip 235 is refused at its row and column with
nothing written. Every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, SpecialFund, SpecialPayable, Voucher
from coopcore.services import ledger
from coopcore.services.imports import COOPERATIVE, ImportReport, export_workbook, run_import
from tests.workbook.builders import Book, Sheet, cooperative_code, valid_book, write_book

TODAY = dt.date(2025, 6, 30)
D = dt.date


def run(session: Session, book: Book, path: Path) -> ImportReport:
    return run_import(session, write_book(book, path), COOPERATIVE, today=TODAY)


def subsidy_book() -> Book:
    book = valid_book()
    book["专项应付款"] = Sheet(
        ["日期*", "类型*", "金额*", "项目", "支出科目", "摘要"],
        [
            {"日期*": D(2024, 3, 1), "类型*": "收到", "金额*": 80000, "项目": "冷库项目", "摘要": "冷库补助到账"},
            {"日期*": D(2024, 6, 1), "类型*": "支出", "金额*": 5000, "项目": "冷库项目", "摘要": "冷库操作培训"},
            {
                "日期*": D(2024, 6, 30),
                "类型*": "弥补支出",
                "金额*": 1000,
                "项目": "冷库项目",
                "支出科目": "521",
                "摘要": "补助弥补检测费",
            },
        ],
    )
    funds = book["专项基金"]
    funds.header += ["形成方式", "资产科目"]
    funds.set(0, "形成方式", "补助资金购建")
    funds.set(0, "资产科目", "153")
    funds.rows.append(
        {"日期*": D(2024, 8, 1), "来源*": "他人捐赠", "金额*": 2000, "摘要": "爱心捐款", "形成方式": "货币"}
    )
    contributions = book["出资"]
    contributions.header.append("溢价")
    contributions.set(0, "溢价", 150)
    trades = book["交易"]
    trades.header += ["交易类型", "服务费"]
    trades.rows.append({"成员编号*": "M02", "日期*": D(2024, 4, 2), "产品*": "复合肥", "数量*": 10, "单位*": "袋",
                        "单价*": 120, "交易类型": "农资购买", "服务费": 30, "单据号": "NZ-1"})  # fmt: skip
    return book


def cooperative(session: Session) -> Cooperative:
    return session.scalars(select(Cooperative).where(Cooperative.credit_code == cooperative_code(1))).one()


def balance(session: Session, code: str) -> Decimal:
    row = ledger.trial_balance(session, cooperative(session), 2024, include_unposted=True).row(code)
    return row.columns.closing_credit - row.columns.closing_debit


def test_subsidy_money_premiums_and_fees_book_from_the_workbook_and_reimport_unchanged(
    session: Session, tmp_path: Path
) -> None:
    report = run(session, subsidy_book(), tmp_path / "subsidy.xlsx")
    assert report.written, report.messages()
    assert session.scalar(select(func.count()).select_from(SpecialPayable)) == 3
    # 80,000 received, 50,000 built into 153 (the valid book's 专项基金 row), 5,000 trained, 1,000 covered.
    assert balance(session, "235") == Decimal("24000.00")
    assert balance(session, "311") == Decimal("52000.00")
    assert balance(session, "321") == Decimal("150.00")
    income = ledger.trial_balance(session, cooperative(session), 2024, include_unposted=True).row("501").columns
    assert income.credit - income.debit == Decimal("30.00")  # the fee: 2024's only operating income
    assert ledger.trial_balance(session, cooperative(session), 2024, include_unposted=True).balanced

    path = tmp_path / "export.xlsx"
    export_workbook(session, cooperative_code(1), path)
    vouchers = session.scalar(select(func.count()).select_from(Voucher))
    again = run_import(session, path, COOPERATIVE, today=TODAY)
    assert again.written and again.messages() == []
    assert all((c.created, c.updated, c.removed) == (0, 0, 0) for c in again.counts.values())
    assert session.scalar(select(func.count()).select_from(Voucher)) == vouchers


def test_fiscal_subsidy_money_given_as_a_cash_fund_is_refused_at_its_cell(session: Session, tmp_path: Path) -> None:
    book = valid_book()
    book["专项基金"].header.append("形成方式")
    book["专项基金"].set(0, "形成方式", "货币")
    report = run(session, book, tmp_path / "cash.xlsx")
    assert not report.written
    assert [(p.row, p.column_label("zh")) for p in report.errors] == [(2, "形成方式")], report.messages()
    assert "请在“专项应付款”中录入" in report.messages()[0]
    assert session.scalar(select(func.count()).select_from(SpecialFund)) == 0
