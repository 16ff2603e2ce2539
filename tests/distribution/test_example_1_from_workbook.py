"""docs/domain.md Example 1 as an accountant brings it in: an Excel workbook, imported, then distributed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.models import Cooperative, IncomeCategory, IncomeExpense, Voucher, VoucherOrigin
from coopcore.services import distribution as workflow
from coopcore.services.imports import COOPERATIVE, run_import
from coopcore.services.ledger import CloseRefused, audit_voucher, close_period, trial_balance
from tests.distribution.builders import EXAMPLE_1, FARMER_IDS
from tests.workbook.builders import Sheet, collective_code, cooperative_code, write_book

D = dt.date
CREDIT_CODE = cooperative_code(4242)
INCOME = [("经营收入", 420000), ("投资收益", 12543.27), ("其他收入", 4000), ("经营支出", 210000),
          ("管理费用", 30000), ("财务费用", 3000), ("税金及附加", 2000), ("其他支出", 5000)]  # fmt: skip


def example_1_workbook(path: Path) -> Path:
    """The six members, their capital and 2024 trades, the books and the special funds of Example 1."""
    ids = iter(FARMER_IDS)
    members, contributions, provident, trades = [], [], [], []
    for code, name, kind, contribution, opening, traded in EXAMPLE_1:
        collective = kind.value == "village_collective"
        members.append(
            {
                "成员编号*": code,
                "姓名或名称*": name,
                "成员类型*": "村集体经济组织" if collective else "农民",
                "证件号码*": collective_code(4242) if collective else next(ids),
                "入社日期*": D(2022, 1, 1),
            }
        )
        contributions.append(
            {"成员编号*": code, "日期*": D(2022, 3, 1), "出资方式*": "货币", "金额*": float(contribution)}
        )
        if Decimal(opening):
            provident.append(
                {"成员编号*": code, "日期*": "2023-12-31", "金额*": float(opening), "摘要": "期初公积金份额"}
            )
        if Decimal(traded):
            trades.append({"成员编号*": code, "日期*": D(2024, 9, 20), "产品*": "苹果", "数量*": 1, "单位*": "批",
                           "单价*": float(traded), "单据号": f"RK-{code}"})  # fmt: skip
    book = {
        "合作社": Sheet(
            ["名称*", "统一社会信用代码*", "所在乡镇*", "所在村*", "成立日期", "公积金提取比例*", "盈余返还比例*"],
            [
                {
                    "名称*": "示例果业专业合作社",
                    "统一社会信用代码*": CREDIT_CODE,
                    "所在乡镇*": "示例街道",
                    "所在村*": "东院村",
                    "成立日期": D(2022, 1, 1),
                    "公积金提取比例*": 0.1,
                    "盈余返还比例*": 0.7,
                }
            ],
        ),
        "成员": Sheet(
            ["成员编号*", "姓名或名称*", "成员类型*", "证件号码*", "入社日期*"], members, title="示例合作社成员花名册"
        ),
        "出资": Sheet(["成员编号*", "日期*", "出资方式*", "金额*"], contributions),
        "公积金份额": Sheet(["成员编号*", "日期*", "金额*", "摘要"], provident),
        "交易": Sheet(["成员编号*", "日期*", "产品*", "数量*", "单位*", "单价*", "单据号"], trades),
        "收支": Sheet(
            ["日期*", "科目*", "金额*"], [{"日期*": D(2024, 12, 20), "科目*": c, "金额*": a} for c, a in INCOME]
        ),
        "专项基金": Sheet(
            ["日期*", "来源*", "金额*", "摘要"],
            [
                {"日期*": D(2023, 6, 1), "来源*": "国家财政直接补助", "金额*": 100000, "摘要": "冷库"},
                {"日期*": D(2024, 4, 1), "来源*": "他人捐赠", "金额*": 3000, "摘要": "捐赠"},
            ],
        ),
        "年度结转": Sheet(["年度*", "年初未分配盈余*"], [{"年度*": 2024, "年初未分配盈余*": -4321.09}]),
    }
    return write_book(book, path)


def distribution_entries(session: Session, cooperative: Cooperative) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The distribution's vouchers in number order: 摘要, then (account, debit, credit) per line ("" for none)."""
    vouchers = session.scalars(
        select(Voucher)
        .where(Voucher.cooperative_id == cooperative.id, Voucher.origin == VoucherOrigin.DISTRIBUTION)
        .order_by(Voucher.number)
    )
    return [
        (v.summary, [(line.account.code, str(line.debit or ""), str(line.credit or "")) for line in v.lines])
        for v in vouchers
    ]


def test_example_one_from_an_imported_workbook_is_distributed_to_the_fen(session: Session, tmp_path: Path) -> None:
    report = run_import(session, example_1_workbook(tmp_path / "example1.xlsx"), COOPERATIVE, today=D(2025, 1, 15))
    assert not [p for p in report.problems if p.blocking], [p.message("en") for p in report.problems]
    cooperative = session.scalar(select(Cooperative).where(Cooperative.credit_code == CREDIT_CODE))
    assert cooperative is not None

    distribution = workflow.plan_distribution(session, cooperative, 2024)
    # Rules 11, 12, 15, 16, 18, 19.
    assert (distribution.surplus, distribution.opening_undistributed) == (Decimal("186543.27"), Decimal("-4321.09"))
    assert (distribution.provident_fund, distribution.distributable) == (Decimal("18222.22"), Decimal("163999.96"))
    assert (distribution.patronage_pool, distribution.residual_pool) == (Decimal("114799.97"), Decimal("49199.99"))
    lines = {line.member_code: line for line in distribution.lines}
    assert lines["M05"].patronage_return == Decimal("35152.17")
    assert lines["M01"].total == Decimal("15674.10") and lines["M01"].residual_weight == Decimal("77166.67")
    assert [lines[c].subsidy_share for c in sorted(lines)] == [Decimal("16666.67")] * 4 + [Decimal("16666.66")] * 2
    assert sum(line.residual_weight for line in lines.values()) == Decimal("242221.21")

    # Rule 26: the plan goes up 15 days before the assembly, and nothing is booked before approval.
    with pytest.raises(workflow.NoticeTooShort):
        workflow.publish_distribution(session, distribution, published_on=D(2025, 3, 6), assembly_on=D(2025, 3, 20))
    workflow.publish_distribution(session, distribution, published_on=D(2025, 3, 5), assembly_on=D(2025, 3, 20))
    with pytest.raises(workflow.WrongState):
        workflow.post_distribution(session, distribution)
    workflow.approve_distribution(session, distribution, assembly_on=D(2025, 3, 20), members_present=6, votes_for=5)
    workflow.post_distribution(session, distribution)
    # docs/domain.md §2.4: Example 1's five entries, dated 31 December, one voucher each.
    assert distribution_entries(session, cooperative) == [
        ("2024年结转本年盈余", [("331", "186543.27", ""), ("33202", "", "186543.27")]),
        ("2024年提取盈余公积", [("33201", "18222.22", ""), ("322", "", "18222.22")]),
        ("2024年盈余返还", [("33201", "114799.97", ""), *[("221", "", str(lines[c].patronage_return))
                                                            for c in sorted(lines) if lines[c].patronage_return]]),
        ("2024年剩余盈余分配", [("33201", "49199.99", ""), *[("222", "", str(lines[c].residual_distribution))
                                                               for c in sorted(lines)]]),
        ("2024年结转各项分配", [("33202", "182222.18", ""), ("33201", "", "182222.18")]),
    ]  # fmt: skip
    # The years before the books (the loss carried in, the provident shares) come in on a voucher that states its
    # assumption; the close waits for the accountant's audit of it.
    carried = session.scalar(select(Voucher).where(Voucher.source_ref == "carried:2024"))
    assert carried is not None and carried.voucher_date == D(2024, 1, 1)
    assert [(line.account.code, line.debit, line.credit) for line in carried.lines] == [
        ("322", 0, Decimal("2998.99")),  # Σ of the members' opening provident shares
        ("33202", Decimal("4321.09"), 0),
        ("102", 0, Decimal("4321.09") - Decimal("2998.99")),  # the loss carried in exceeds the provident fund
    ]
    with pytest.raises(CloseRefused, match=r"审核|audit"):
        close_period(session, cooperative, 2024, 12, by="会计")
    audit_voucher(session, carried, by="审核")
    # Rule 20: after the close of December, 331 and both 332 sub-accounts are zero.
    close_period(session, cooperative, 2024, 12, by="会计")
    rows = {row.code: row.columns for row in trial_balance(session, cooperative, 2024).rows}
    for code in ("331", "33201", "33202"):
        assert (rows[code].closing_debit, rows[code].closing_credit) == (0, 0), code

    session.add(IncomeExpense(cooperative_id=cooperative.id, recorded_on=D(2024, 12, 30),
                              category=IncomeCategory.OTHER_INCOME, amount=Decimal("1.00")))  # fmt: skip
    with pytest.raises(PeriodClosed):
        session.flush()
    session.rollback()
