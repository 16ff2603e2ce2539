"""Member accounts (成员账户) in the columns of the official form, checked against the member-account entries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import AccountEntryKind, Member, MemberAccountEntry
from reports.accounts import build_member_accounts
from reports.cli import guard
from tests.reports import builders
from tests.reports.conftest import page_pictures, pdf_text, yuan

D = Decimal
COLUMNS = {
    "成员出资·来源于到户类扶贫项目资产的出资额": (AccountEntryKind.CONTRIBUTION_POVERTY_ASSET,),
    "成员出资·其他来源的出资额": (
        AccountEntryKind.CONTRIBUTION_CASH,
        AccountEntryKind.CONTRIBUTION_LAND,
        AccountEntryKind.CONTRIBUTION_IN_KIND,
        AccountEntryKind.CAPITAL_CONVERSION,
        AccountEntryKind.REFUND,
    ),
    "公积金份额": (AccountEntryKind.PROVIDENT_SHARE,),
    "接受国家财政直接补助形成财产量化份额": (AccountEntryKind.SUBSIDY_SHARE,),
    "接受他人捐赠形成财产量化份额": (AccountEntryKind.DONATION_SHARE,),
    "盈余返还金额": (AccountEntryKind.PATRONAGE_RETURN,),
    "剩余盈余分配金额": (AccountEntryKind.RESIDUAL_DISTRIBUTION,),
}


def database_balances(session: Session, cooperative_id: int) -> dict[str, Decimal]:
    """Each column's total over all members at the end of 2024, summed by the database."""
    rows = session.execute(
        select(MemberAccountEntry.kind, func.sum(MemberAccountEntry.amount))
        .join(Member, Member.id == MemberAccountEntry.member_id)
        .where(Member.cooperative_id == cooperative_id, MemberAccountEntry.entry_on <= dt.date(2024, 12, 31))
        .group_by(MemberAccountEntry.kind)
    ).all()
    by_kind: dict[AccountEntryKind, Decimal] = defaultdict(lambda: D("0.00"), dict(rows))
    return {header: sum((by_kind[kind] for kind in kinds), D("0.00")) for header, kinds in COLUMNS.items()}


def test_the_closing_balances_equal_the_member_account_entries_to_the_fen(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session, "posted")
    guard(session)
    seen: list[int] = []
    pdf_path, workbook_path = build_member_accounts(
        session, cooperative, 2024, tmp_path, "zh", progress=lambda done, total: seen.append(done)
    )
    assert seen == [1, 2, 3, 4, 5, 6]
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == ["成员账户", "年末余额汇总"]
    closing = book["年末余额汇总"]
    headers = [cell.value for cell in closing[2]]
    total_row = closing.max_row
    assert closing.cell(total_row, 1).value == "合计"
    expected = database_balances(session, cooperative.id)
    for header, amount in expected.items():
        assert yuan(closing.cell(total_row, headers.index(header) + 1).value) == amount, header
    assert expected["盈余返还金额"] == D("114799.97") and expected["剩余盈余分配金额"] == D("49199.99")
    # The year's transactions, per product: Example 1's 200,000.03 of apples.
    assert yuan(closing.cell(total_row, headers.index("交易额·示例苹果") + 1).value) == D("200000.03")
    ledger = book["成员账户"]
    assert ledger.freeze_panes == "C3"
    dates = [row[3] for row in ledger.iter_rows(min_row=3) if row[3].value is not None]
    assert dates and all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in dates)

    content = "".join(pdf_text(pdf_path).split())  # headers wrap inside their cells
    assert content.count("成员账户") >= 6
    for words in (
        "成员姓名（名称）：王建国",
        "年初余额",
        "年末余额（总额）",
        "来源于到户类扶贫项目资产的出资额",
        "接受国家财政直接补助形成财产量化份额",
        "2024年盈余返还",
        "22,248.52",
        "示例苹果",
    ):
        assert words in content, words
    assert "尚未记账" not in content
    pages = page_pictures(pdf_path, tmp_path / "pages")
    assert len(pages) == 6  # one member a page


def test_a_plan_not_posted_yet_is_said_to_be_missing_from_the_accounts(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session)
    pdf_path, _ = build_member_accounts(session, cooperative, 2024, tmp_path, "zh")
    content = "".join(pdf_text(pdf_path).split())
    assert "2024年度盈余分配尚未记账（当前状态：草案）" in content


def test_a_long_account_with_many_products_continues_on_further_pages(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session)
    builders.many_trades(session, cooperative, member_code="M02", products=8, per_product=6)
    pdf_path, workbook_path = build_member_accounts(session, cooperative, 2024, tmp_path, "zh")
    content = "".join(pdf_text(pdf_path).split())
    assert content.count("成员账户（续）") >= 1 and "产品8" in content
    pages = page_pictures(pdf_path, tmp_path / "pages")
    assert len(pages) >= 8  # six members, M02 over at least three pages
    closing = openpyxl.load_workbook(workbook_path)["年末余额汇总"]
    headers = [cell.value for cell in closing[2]]
    assert "交易额·产品8" in headers
    assert yuan(closing.cell(closing.max_row, headers.index("交易额·产品8") + 1).value) == D("6") * D("123.50")


def test_the_paid_year_s_form_shows_the_payment_the_conversion_and_nothing_still_owed(
    session: Session, tmp_path: Path
) -> None:
    cooperative, distribution = builders.example(session, "paid")  # paid 2025-04-02, M02 converted 2025-04-01
    pdf_path, workbook_path = build_member_accounts(session, cooperative, 2025, tmp_path, "zh")
    content = "".join(pdf_text(pdf_path).split())
    assert content.count("尚欠（截至2025年12月31日，据账簿，不含上表累计数）") == 6
    assert content.count("（2024年度分配，现金支付，凭证2025-04") == 5  # every member but M02, paid in cash
    assert "2024年分红转为出资2025年第2号决议" in content  # M02's conversion: one line, into 出资
    closing = openpyxl.load_workbook(workbook_path)["年末余额汇总"]
    headers = [cell.value for cell in closing[2]]
    total = closing.max_row
    for account in ("221", "222"):
        assert yuan(closing.cell(total, headers.index(f"尚欠·{account}") + 1).value) == D("0.00")
    # The returns' history keeps what was paid and leaves out what was converted (counted once, in 出资).
    returned = yuan(closing.cell(total, headers.index("盈余返还金额") + 1).value)
    residual = yuan(closing.cell(total, headers.index("剩余盈余分配金额") + 1).value)
    [converted] = [line.total for line in distribution.lines if line.member_code == "M02"]
    assert converted > 0 and returned + residual == D("114799.97") + D("49199.99") - converted
    pages = page_pictures(pdf_path, tmp_path / "pages")
    assert len(pages) == 6
