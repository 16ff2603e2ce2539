"""Books the ledger reports print: Example 1's cooperative with its 2021 chart and a few vouchers of 2024.

Written through coopcore.services.ledger, as the books are kept: a posted member voucher, a sale booked from a
trade and its red reversal, a draft longer than one form, and a voucher audited by its own preparer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from coopcore.models import Cooperative
from coopcore.models.ledger import Voucher
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.terms import VoucherOrigin
from tests.distribution.builders import make_example_1

D = Decimal
PREPARER, AUDITOR, POSTER = "王会计", "李主任", "赵出纳"
BUYER = "烟台鲁果食品有限公司"
EXPENSES = [  # the draft's debit lines: more than one form holds
    ("办公用品", "320.00"),
    ("差旅费", "1250.00"),
    ("水电费", "486.30"),
    ("电话费", "99.00"),
    ("会议费", "800.00"),
    ("印刷费", "150.50"),
    ("审计费", "3000.00"),
    ("银行手续费", "12.00"),
]


@dataclass(frozen=True)
class Books:
    cooperative: Cooperative
    member_voucher: Voucher  # 记-0001, March, posted: a delivery owed to 王建国 (114, member detail)
    sale: Voucher  # 记-0002, March, posted, booked from a trade
    reversal: Voucher  # 记-0003, March, posted: the sale's red reversal
    draft: Voucher  # 记-0004, March, a draft of nine lines
    self_audited: Voucher  # April 记-0001, audited by its preparer (the setting allowed it then), not posted


def dr(account: str, amount: str, summary: str = "", **aux: object) -> EntryLine:
    return EntryLine(account, debit=D(amount), summary=summary, **aux)  # type: ignore[arg-type]


def cr(account: str, amount: str, summary: str = "", **aux: object) -> EntryLine:
    return EntryLine(account, credit=D(amount), summary=summary, **aux)  # type: ignore[arg-type]


def posted(session: Session, cooperative: Cooperative, on: dt.date, summary: str, lines: list[EntryLine],
           attachments: int = 0) -> Voucher:  # fmt: skip
    """A manual voucher prepared, audited and posted by three people."""
    voucher = ledger.add_voucher(session, cooperative, on=on, summary=summary, lines=lines, by=PREPARER,
                                 attachments=attachments)  # fmt: skip
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=POSTER)


def make_books(session: Session) -> Books:
    """Example 1's cooperative with the 2021 chart, a detail account 50101 苹果销售 and five vouchers of 2024."""
    cooperative = make_example_1(session, booked=False)
    ledger.seed_chart(session, cooperative)
    ledger.add_account(session, cooperative, "50101", "苹果销售", "501", name_en="Apple sales")
    member_voucher = posted(
        session, cooperative, dt.date(2024, 3, 5), "收到王建国交售苹果",
        [dr("121", "38760.50"), cr("114", "38760.50", member="M02")], attachments=2,
    )  # fmt: skip
    sale = ledger.add_voucher(
        session, cooperative, on=dt.date(2024, 3, 10), summary="销售苹果", attachments=1,
        lines=[dr("113", "50000.00", counterparty=BUYER), cr("50101", "50000.00")],
        by=ledger.SYSTEM, origin=VoucherOrigin.TRADE, source_ref="trade:1",
    )  # fmt: skip
    ledger.post_voucher(session, sale, by=ledger.SYSTEM)  # an event's voucher posts without a manual step
    reversal = ledger.reverse_voucher(session, sale, on=dt.date(2024, 3, 20), by=PREPARER)
    total = sum((D(amount) for _, amount in EXPENSES), D(0))
    draft = ledger.add_voucher(
        session, cooperative, on=dt.date(2024, 3, 25), summary="支付3月管理费用", attachments=8, by=PREPARER,
        lines=[*(dr("523", amount, what) for what, amount in EXPENSES), cr("102", str(total), "银行付款")],
    )  # fmt: skip
    cooperative.ledger_single_person = True  # one accountant: prepares and audits
    self_audited = ledger.add_voucher(
        session, cooperative, on=dt.date(2024, 4, 2), summary="提取现金", attachments=1, by=PREPARER,
        lines=[dr("101", "1234.56"), cr("102", "1234.56")],
    )  # fmt: skip
    ledger.audit_voucher(session, self_audited, by=PREPARER)
    cooperative.ledger_single_person = False  # the setting as it is when printing; each test sets its own
    session.flush()
    return Books(cooperative, member_voucher, sale, reversal, draft, self_audited)


def make_ledger_books(session: Session) -> Books:
    """make_books, with members' shares paid in during 2023 (the 2024 opening balances) and three posted April
    vouchers: 王建国 paid for his apples, 李秀英's apples received, apples sold for cash.

    Posted in 2024: 121 58,760.50 Dr; 114 38,760.50 Dr, 58,760.50 Cr (王建国 settled, 李秀英 owed 20,000.00);
    102 8,000.00 Dr and 38,760.50 Cr on 100,000.00 Dr; 50101 (under 501) 8,000.00 Cr; 113 a sale and its red
    reversal, nothing left. Closing balances: 128,000.00 on each side.
    """
    books = make_books(session)
    cooperative = books.cooperative
    posted(
        session, cooperative, dt.date(2023, 12, 20), "收到成员股金",
        [dr("102", "100000.00"), cr("301", "60000.00", member="M01"), cr("301", "20000.00", member="M02"),
         cr("301", "20000.00", member="M03")],
    )  # fmt: skip
    posted(
        session, cooperative, dt.date(2024, 4, 15), "支付王建国交售款",
        [dr("114", "38760.50", member="M02"), cr("102", "38760.50")],
    )  # fmt: skip
    posted(
        session, cooperative, dt.date(2024, 4, 20), "收到李秀英交售苹果",
        [dr("121", "20000.00", "苹果入库"), cr("114", "20000.00", "应付李秀英", member="M03")],
    )  # fmt: skip
    posted(session, cooperative, dt.date(2024, 4, 28), "零售苹果", [dr("102", "8000.00"), cr("50101", "8000.00")])
    return books
