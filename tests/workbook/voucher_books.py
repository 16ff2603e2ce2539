"""Builders of voucher-sheet workbooks (real .xlsx files) for the books' import tests, and what to compare."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Voucher, VoucherOrigin, VoucherState
from coopcore.services import ledger
from coopcore.services.imports import VOUCHERS, ImportReport, run_import
from coopcore.services.ledger.books import entries_by_voucher
from coopcore.services.workbook.voucher_rows import shown
from tests.ledger.builders import AUDITOR
from tests.workbook.builders import write_sheets

D = dt.date
TODAY = dt.date(2025, 6, 30)
BOOKS_HEADER = ["统一社会信用代码", "合作社名称", "启用期间"]
ACCOUNTS_HEADER = ["科目编码", "科目名称", "上级科目编码"]
OPENING_HEADER = ["科目编码", "科目名称", "成员编号", "是否扶贫项目资产", "期初借方余额", "期初贷方余额"]
VOUCHER_HEADER = ["日期", "凭证字", "凭证号", "摘要", "科目编码", "科目名称", "成员编号", "往来单位", "借方金额",
                  "贷方金额", "数量", "单价", "附单据数", "是否扶贫项目资产"]  # fmt: skip
Rows = list[list[Any]]


def opening_rows() -> Rows:
    """Balanced opening balances at 2024-07-01: debits 97,300.00 = credits 97,300.00."""
    return [
        ["101", "库存现金", None, None, 500, None],
        ["102", "银行存款", None, None, 86500, None],
        ["114", "成员往来", "M001", None, 300, None],
        ["151", "固定资产", None, "是", 10000, None],
        ["201", "短期借款", None, None, 0, 0],  # an account without a balance, as other software lists them
        ["301", "股金", "M001", None, None, 50000],
        ["301", "股金", "M002", None, None, 47300],
    ]


def voucher_rows() -> Rows:
    """Three vouchers: July 记-1 and 记-2, August 记-1."""
    return [
        [D(2024, 7, 5), "记", 1, "收到苹果货款", "102", "银行存款", None, "烟台鲁果果品有限公司", 12000, None,
         None, None, 2, None],
        [D(2024, 7, 5), "记", 1, None, "5010101", "富士", None, None, None, 12000, 5000, 2.4, None, None],
        [D(2024, 7, 8), "记", 2, "成员农资赊销", "114", "成员往来", "M002", None, 800, None, None, None, None, None],
        [D(2024, 7, 8), "记", 2, "成员农资赊销", "101", "库存现金", None, None, None, 800, None, None, None, None],
        [D(2024, 8, 1), "记", 1, "购入农机", "151", "固定资产", None, None, 6000, None, None, None, 1, "否"],
        [D(2024, 8, 1), "记", 1, "购入农机", "102", "银行存款", None, None, None, 6000, None, None, None, None],
    ]  # fmt: skip


def voucher_book(
    path: Path,
    cooperative: Cooperative,
    *,
    start: object = "2024-07",
    accounts: Rows | None = None,
    opening: Rows | None = None,
    vouchers: Rows | None = None,
) -> Path:
    """A voucher workbook of the cooperative; every sheet given (the default: the clean one)."""
    default_accounts = [["50101", "苹果销售", "501"], ["5010101", "富士", "50101"]]
    return write_sheets(
        path,
        {
            "账套": [BOOKS_HEADER, [cooperative.credit_code, cooperative.name, start]],
            "科目": [ACCOUNTS_HEADER, *(default_accounts if accounts is None else accounts)],
            "期初余额": [OPENING_HEADER, *(opening_rows() if opening is None else opening)],
            "凭证": [VOUCHER_HEADER, *(voucher_rows() if vouchers is None else vouchers)],
        },
    )


def run(session: Session, path: Path, *, dry_run: bool = False) -> ImportReport:
    return run_import(session, path, VOUCHERS, dry_run=dry_run, today=TODAY)


def counts(report: ImportReport) -> dict[str, tuple[int, int, int, int]]:
    return {s.key: (c.created, c.updated, c.unchanged, c.removed) for s, c in report.sheet_counts()}


def vouchers_of(session: Session, cooperative: Cooperative) -> list[Voucher]:
    query = select(Voucher).where(Voucher.cooperative_id == cooperative.id)
    return list(session.scalars(query.order_by(Voucher.year, Voucher.month, Voucher.number)))


def post_all(session: Session, cooperative: Cooperative) -> None:
    """Audit and post every voucher not yet posted, as the accountant does after an import."""
    for voucher in vouchers_of(session, cooperative):
        if voucher.state is VoucherState.DRAFT:
            ledger.audit_voucher(session, voucher, by=AUDITOR)
        if voucher.state is not VoucherState.POSTED:
            ledger.post_voucher(session, voucher, by=AUDITOR)


def books_as_shown(session: Session, cooperative: Cooperative) -> dict[tuple[int, int, int], tuple[object, ...]]:
    """Every voucher but the opening ones as a sheet shows it, by month and number."""
    vouchers = [v for v in vouchers_of(session, cooperative) if v.origin is not VoucherOrigin.OPENING]
    lines = entries_by_voucher(session, cooperative.id, vouchers)
    return {(v.year, v.month, v.number): shown(v, lines[v.id]) for v in vouchers}


def trial_rows(session: Session, cooperative: Cooperative, year: int) -> list[tuple[str, tuple[Decimal, ...]]]:
    balance = ledger.trial_balance(session, cooperative, year)
    return [(row.code, row.columns.amounts()) for row in balance.rows] + [("totals", balance.totals.amounts())]
