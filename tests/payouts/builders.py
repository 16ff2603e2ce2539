"""Example 1's cooperative with its 2024 distribution posted, produce delivered and guaranteed rent owed: what
payment runs pay (issue #17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import (
    Cooperative,
    Distribution,
    IncomeCategory,
    IncomeExpense,
    Member,
    Origin,
    Voucher,
    VoucherState,
)
from coopcore.money import ZERO
from coopcore.services import distribution as workflow
from coopcore.services import ledger
from coopcore.services.ledger.owed import OWED_ACCOUNTS, member_statements
from coopcore.services.ledger.sync import INCOME_EXPENSE, TRADES, sync_events
from tests.distribution.builders import make_example_1

D = Decimal
RESOLUTION = "2025年第1号成员大会决议"
AUDITOR = "李审核"
ACCOUNTS = {  # 一卡通 and bank cards; M03's starts with a zero and is long enough to lose digits as a number
    "M01": ("6228480402564890018", "中国农业银行东院支行", "东院村股份经济合作社"),
    "M02": ("6217000010012345678", "中国建设银行示例支行", "王建国"),
    "M03": ("0123456789012345678", "示例农村商业银行", "李秀英"),
    "M04": ("6230520040001234567", "示例农村商业银行", "张立新"),
    "M05": ("6210810730001234567", "邮储银行示例支行", "刘桂兰"),
    "M06": ("6228480402564890026", "中国农业银行东院支行", "陈志强"),
}


def make_owing(session: Session, *, payees: bool = True, number: int = 0) -> tuple[Cooperative, Distribution]:
    """Example 1 with its 2024 intakes booked (Cr 114 per member), M04's 5,000.00 converted with the plan, the
    distribution posted, and 2025 guaranteed rent owed to M02 and M03 on 1 March 2025."""
    cooperative = make_example_1(session, number=number)
    sync_events(session, cooperative, [TRADES])
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))
    workflow.approve_distribution(session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=5,
                                  votes_for=4, resolution=RESOLUTION, conversions={"M04": D("5000.00")})  # fmt: skip
    workflow.post_distribution(session, distribution)
    members = {m.code: m for m in session.scalars(select(Member).where(Member.cooperative_id == cooperative.id))}
    for code, rent in (("M02", "1200.00"), ("M03", "800.50")):
        guarantee(session, cooperative, members[code], D(rent), dt.date(2025, 3, 1))
    if payees:
        for code, (account, bank, name) in ACCOUNTS.items():
            members[code].payee_account, members[code].payee_bank, members[code].payee_name = account, bank, name
    session.flush()
    return cooperative, distribution


def guarantee(session: Session, cooperative: Cooperative, member: Member, rent: Decimal, on: dt.date) -> None:
    """A household's guaranteed land rent, booked as the land guarantees book it (Dr 521 / Cr 114—member)."""
    record = IncomeExpense(cooperative_id=cooperative.id, recorded_on=on, category=IncomeCategory.OPERATING_EXPENSE,
                           amount=rent, memo=f"{on.year}年土地入股保底收益 {member.code}",
                           source=f"land_guarantee:{on.year}:{member.id}", origin=Origin.LAND_GUARANTEE)  # fmt: skip
    session.add(record)
    session.flush()
    sync_events(session, cooperative, [INCOME_EXPENSE], {INCOME_EXPENSE.ref(record.id)})


def post_all(session: Session, cooperative: Cooperative) -> None:
    """Audit and post every draft voucher, as the accountant does before the books are read."""
    drafts = session.scalars(select(Voucher).where(Voucher.cooperative_id == cooperative.id,
                                                   Voucher.state != VoucherState.POSTED)).all()  # fmt: skip
    for voucher in drafts:
        if voucher.state is VoucherState.DRAFT:
            ledger.audit_voucher(session, voucher, by=AUDITOR)
        ledger.post_voucher(session, voucher, by=AUDITOR)


def assert_owed_equals_books(session: Session, cooperative: Cooperative, year: int) -> None:
    """Each household's statement closes on its balances in the books, and adds up line by line."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    statements = {s.code: s for s in member_statements(session, cooperative, first, last)}
    for code in OWED_ACCOUNTS:
        books = ledger.member_balances(session, cooperative, code, year)
        for member, statement in statements.items():
            owed = statement.accounts[code]
            assert owed.closing == -books.get(member, ZERO), (member, code)
            assert owed.closing == owed.opening + owed.credits - owed.debits - owed.payments
