"""Books the ledger reports print: Example 1's cooperative, its chart seeded from the 2021 CSV, a few vouchers.

Written with the models directly (the ledger services are not what these tests check): a posted member voucher,
a posted sale and its red reversal, a draft longer than one form, and a voucher audited by its preparer.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

import coopcore
from coopcore.models import Cooperative, Member
from coopcore.models.ledger import Account, Voucher, VoucherLine
from coopcore.terms import AccountClass, Side, VoucherOrigin, VoucherState
from tests.distribution.builders import make_example_1

D = Decimal
CHART = Path(coopcore.__file__).parent / "charts" / "cooperative_2021.csv"
EXPENSES = [  # the draft's debit lines: more than one form holds
    ("办公用品", "320.00"),
    ("差旅费", "1,250.00"),
    ("水电费", "486.30"),
    ("电话费", "99.00"),
    ("会议费", "800.00"),
    ("印刷费", "150.50"),
    ("审计费", "3,000.00"),
    ("银行手续费", "12.00"),
]


@dataclass(frozen=True)
class Books:
    cooperative: Cooperative
    member_voucher: Voucher  # 记-0001, March, posted: a delivery owed to 王建国 (114, member detail)
    sale: Voucher  # 记-0002, March, posted, booked from a trade
    reversal: Voucher  # 记-0003, March, posted: the sale's red reversal
    draft: Voucher  # 记-0004, March, a draft of nine lines
    self_audited: Voucher  # April 记-0001, audited by its preparer, not posted


def seed_chart(session: Session, cooperative: Cooperative) -> dict[str, Account]:
    """The cooperative's accounts from the 2021 chart, by code."""
    accounts: dict[str, Account] = {}
    with CHART.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            account = Account(
                cooperative_id=cooperative.id,
                code=row["code"],
                name=row["name"],
                name_en=row["name_en"],
                account_class=AccountClass(row["class"]),
                side=Side(row["side"]),
                parent=accounts.get(row["parent"]) if row["parent"] else None,
                member_detail=row["member_detail"] == "yes",
                poverty_split=row["poverty_split"] == "yes",
                chart="cooperative_2021",
            )
            session.add(account)
            accounts[account.code] = account
    session.flush()
    return accounts


def make_books(session: Session) -> Books:
    """Example 1's cooperative with its chart, a detail account 50101 苹果销售 and five vouchers of 2024."""
    cooperative = make_example_1(session)
    accounts = seed_chart(session, cooperative)
    apples = Account(
        cooperative_id=cooperative.id,
        code="50101",
        name="苹果销售",
        name_en="Apple sales",
        account_class=AccountClass.INCOME,
        side=Side.CREDIT,
        parent=accounts["501"],
    )
    session.add(apples)
    accounts["50101"] = apples
    member = session.scalars(select(Member).where(Member.cooperative_id == cooperative.id, Member.code == "M02")).one()
    session.flush()

    def voucher(month: int, number: int, day: int, summary: str, lines: list[VoucherLine], **fields: object) -> Voucher:
        made = Voucher(
            cooperative_id=cooperative.id,
            year=2024,
            month=month,
            number=number,
            voucher_date=dt.date(2024, month, day),
            summary=summary,
            **fields,
        )
        for line_no, line in enumerate(lines, start=1):
            line.line_no, line.cooperative_id, line.year, line.month = line_no, cooperative.id, 2024, month
            made.lines.append(line)
        session.add(made)
        session.flush()
        return made

    def line(code: str, debit: str = "0.00", credit: str = "0.00", summary: str = "", **aux: object) -> VoucherLine:
        return VoucherLine(
            account_id=accounts[code].id,
            debit=D(debit.replace(",", "")),
            credit=D(credit.replace(",", "")),
            summary=summary,
            **aux,
        )

    people = {"prepared_by": "王会计", "audited_by": "李主任", "posted_by": "赵出纳"}
    member_voucher = voucher(
        3, 1, 5, "收到王建国交售苹果",
        [line("121", debit="38760.50"), line("114", credit="38760.50", member_id=member.id)],
        attachments=2, state=VoucherState.POSTED, **people,
    )  # fmt: skip
    buyer = "烟台鲁果食品有限公司"
    sale = voucher(
        3, 2, 10, "销售苹果",
        [line("113", debit="50000.00", counterparty=buyer), line("50101", credit="50000.00")],
        attachments=1, state=VoucherState.POSTED, origin=VoucherOrigin.TRADE, source_ref="trade:1",
        prepared_by="system", audited_by="system", posted_by="system",
    )  # fmt: skip
    reversal = voucher(
        3, 3, 20, "冲销3月10日销售（发票作废）",
        [line("50101", debit="50000.00"), line("113", credit="50000.00", counterparty=buyer)],
        state=VoucherState.POSTED, reverses_id=sale.id, **people,
    )  # fmt: skip
    total = sum((D(amount.replace(",", "")) for _, amount in EXPENSES), D(0))
    draft = voucher(
        3, 4, 25, "支付3月管理费用",
        [*(line("523", debit=amount, summary=what) for what, amount in EXPENSES),
         line("102", credit=str(total), summary="银行付款")],
        attachments=8, state=VoucherState.DRAFT, prepared_by="王会计",
    )  # fmt: skip
    self_audited = voucher(
        4, 1, 2, "提取现金",
        [line("101", debit="1234.56"), line("102", credit="1234.56")],
        attachments=1, state=VoucherState.AUDITED, prepared_by="王会计", audited_by="王会计",
    )  # fmt: skip
    return Books(cooperative, member_voucher, sale, reversal, draft, self_audited)
