"""A federation's posted distribution is investment income in each member cooperative's books (§11, [KJ 511])."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Cooperative,
    FiscalYear,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    MemberKind,
    Product,
    Trade,
)
from coopcore.services import distribution as workflow
from coopcore.services import year_end
from coopcore.services.ledger.sync import INCOME_EXPENSE, sync_events
from tests.township.builders import make_cooperative, make_township

D = Decimal
# Member cooperatives: contribution to the federation, produce delivered to it in 2024, their own 2024 surplus.
MEMBERS = (
    ("120000.00", "300000.00", "50000.00"),
    ("120000.00", "200000.00", "80000.00"),
    ("60000.00", "100000.00", "20000.00"),
)


def make_federation(session: Session) -> tuple[Cooperative, list[Cooperative]]:
    village = make_township(session, "联合镇").villages[0]
    federation = Cooperative(
        name="示例果品专业合作社联合社", credit_code="93370602MA3FEDER01", village_id=village.id, is_federation=True
    )
    session.add(federation)
    session.add(
        Bylaws(
            cooperative=federation,
            effective_on=dt.date(2022, 1, 1),
            provident_fund_rate=D("0.10"),
            patronage_ratio=D("0.60"),
        )
    )
    session.add(FiscalYear(cooperative=federation, year=2024))
    product = Product(name="联合社苹果")
    session.add(product)
    session.flush()
    members = []
    for number, (capital, produce, own_surplus) in enumerate(MEMBERS, start=1):
        cooperative = make_cooperative(session, f"93370602MA3MEMB{number:02d}", village)
        session.add(FiscalYear(cooperative_id=cooperative.id, year=2024))
        session.add(
            IncomeExpense(
                cooperative_id=cooperative.id,
                recorded_on=dt.date(2024, 11, 30),
                category=IncomeCategory.OPERATING_INCOME,
                amount=D(own_surplus),
            )
        )
        member = Member(
            cooperative=federation,
            code=f"S{number}",
            name=cooperative.name,
            kind=MemberKind.COOPERATIVE,
            id_number=cooperative.credit_code,
            joined_on=dt.date(2022, 1, 1),
            is_founder=True,
            member_cooperative_id=cooperative.id,
        )
        session.add(member)
        session.add(
            MemberAccountEntry(
                member=member, entry_on=dt.date(2022, 1, 1), kind=AccountEntryKind.CONTRIBUTION_CASH, amount=D(capital)
            )
        )
        session.flush()
        session.add(
            Trade(
                cooperative_id=federation.id,
                member_id=member.id,
                traded_on=dt.date(2024, 10, 1),
                product=product,
                quantity=D("1"),
                unit="批",
                unit_price=D(produce),
                amount=D(produce),
                ticket_no=f"F{number}",
            )
        )
        members.append(cooperative)
    for category, amount in (
        (IncomeCategory.OPERATING_INCOME, "700000.00"),
        (IncomeCategory.OPERATING_EXPENSE, "620000.00"),
    ):
        session.add(
            IncomeExpense(
                cooperative_id=federation.id, recorded_on=dt.date(2024, 12, 20), category=category, amount=D(amount)
            )
        )
    session.flush()
    for cooperative in (federation, *members):  # 本年盈余 is read from the books: the rows are booked
        sync_events(session, cooperative, [INCOME_EXPENSE])
    return federation, members


def investment_income(session: Session, cooperative: Cooperative) -> list[IncomeExpense]:
    return list(
        session.scalars(
            select(IncomeExpense).where(
                IncomeExpense.cooperative_id == cooperative.id,
                IncomeExpense.category == IncomeCategory.INVESTMENT_INCOME,
            )
        )
    )


def test_a_federation_posting_books_investment_income_in_every_member_cooperative_and_reversal_removes_it(
    session: Session,
) -> None:
    federation, members = make_federation(session)
    before = {c.id: year_end.year_surplus(session, c.id, 2024) for c in members}
    distribution = workflow.plan_distribution(session, federation, 2024)
    workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 1))
    # [L-60]: one cooperative, one vote; 2 of 3 is a quorum and a majority.
    workflow.approve_distribution(
        session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=3, votes_for=2
    )
    workflow.post_distribution(session, distribution)

    totals = {line.member_code: line.total for line in distribution.lines}
    assert sum(totals.values()) == distribution.distributable == D("72000.00")  # 80,000 less 10% provident fund
    for number, cooperative in enumerate(members, start=1):
        (record,) = investment_income(session, cooperative)
        assert record.source == f"distribution:{distribution.id}" == distribution.source
        assert record.amount == totals[f"S{number}"] and record.recorded_on == dt.date(2024, 12, 31)
        # [KJ 511]: the member cooperative's own surplus includes what its federation distributed to it.
        assert year_end.year_surplus(session, cooperative.id, 2024) == before[cooperative.id] + record.amount

    workflow.reverse_distribution(session, distribution)
    for cooperative in members:
        assert investment_income(session, cooperative) == []
        assert year_end.year_surplus(session, cooperative.id, 2024) == before[cooperative.id]
