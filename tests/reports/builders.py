"""The data the report tests print: docs/domain.md Example 1 at each step, a township, an order contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import (
    Cooperative,
    Distribution,
    FundingSource,
    Member,
    PlanStatus,
    PriceRule,
    Product,
    ProjectStatus,
    Township,
    Trade,
)
from coopcore.services import distribution as workflow
from coopcore.services.ledger.sync import sync_events
from tests.distribution.builders import make_example_1
from tests.township import builders as township

PUBLISHED_ON, ASSEMBLY_ON = dt.date(2025, 3, 1), dt.date(2025, 3, 20)


def example(
    session: Session, state: str = "draft", *, conversions: dict[str, Decimal] | None = None
) -> tuple[Cooperative, Distribution]:
    """Example 1 planned for 2024 and taken to a state: draft, published, approved, posted or paid (M02 by capital);
    conversions are decided by the assembly with the plan (§15 rule 25b)."""
    cooperative = make_example_1(session)
    sync_events(session, cooperative)  # the books hold the years before them: the 2023 loss, the provident fund
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    steps = ("draft", "published", "approved", "posted", "paid")
    if steps.index(state) >= 1:
        workflow.publish_distribution(session, distribution, published_on=PUBLISHED_ON, assembly_on=ASSEMBLY_ON)
    if steps.index(state) >= 2:
        workflow.approve_distribution(
            session,
            distribution,
            assembly_on=ASSEMBLY_ON,
            members_present=5,
            votes_for=5,
            resolution="2025年第1号决议",
            conversions=conversions,
        )
    if steps.index(state) >= 3:
        workflow.post_distribution(session, distribution)
    if steps.index(state) >= 4:
        workflow.pay_distribution(
            session,
            distribution,
            paid_on=dt.date(2025, 4, 1),
            method="capital",
            member_codes=["M02"],
            resolution="2025年第2号决议",
        )
        workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 2))
    session.flush()
    return cooperative, distribution


def many_trades(
    session: Session, cooperative: Cooperative, *, member_code: str, products: int, per_product: int
) -> None:
    """Give one member per_product deliveries of each of several products in 2024 (a long member account)."""
    member = session.scalars(
        select(Member).where(Member.cooperative_id == cooperative.id, Member.code == member_code)
    ).one()
    for number in range(1, products + 1):
        product = Product(name=f"产品{number}")
        session.add(product)
        for day in range(1, per_product + 1):
            session.add(
                Trade(
                    cooperative_id=cooperative.id,
                    member_id=member.id,
                    traded_on=dt.date(2024, 5, day),
                    product=product,
                    quantity=Decimal("10"),
                    unit="kg",
                    unit_price=Decimal("12.35"),
                    amount=Decimal("123.50"),
                    ticket_no=f"P{number}-{day}",
                )
            )
    session.flush()


def weak_villages(session: Session) -> Township:
    """A township of three villages: one weak with a late project and idle funds, one achieved, one without a plan."""
    town = township.make_township(session, "报表镇", villages=3)
    first, second, third = town.villages
    township.add_income(session, first, 2023, "36000.00")
    township.add_income(session, first, 2024, "32000.00")
    township.add_income(session, first, 2024, "15674.10", category="investment")
    township.add_income(session, first, 2024, "9000.00", category="subsidy")  # kept, not counted
    plan = township.make_plan(session, first, baseline="21000.00", target="100000.00")
    project = township.add_project(
        session,
        plan,
        name="冷库项目",
        milestones=(
            ("立项批复", dt.date(2023, 5, 1), dt.date(2023, 4, 20)),
            ("主体完工", dt.date(2024, 6, 30), None),
        ),
    )
    township.add_funding(
        session,
        plan,
        allocated="300000.00",
        received="300000.00",
        spent="120000.00",
        received_on=dt.date(2023, 6, 1),
        project=project,
    )
    township.add_funding(
        session,
        plan,
        allocated="80000.00",
        received="50000.00",
        received_on=dt.date(2023, 9, 1),
        source=FundingSource.SELF_RAISED,
    )
    township.add_income(session, second, 2023, "90000.00")
    township.add_income(session, second, 2024, "126500.50")
    achieved = township.make_plan(
        session, second, baseline="60000.00", target="120000.00", target_year=2024, status=PlanStatus.ACHIEVED
    )
    township.add_project(session, achieved, name="果品分拣中心", status=ProjectStatus.COMPLETED)
    township.add_income(session, third, 2024, "0.00")
    return town


def order_contract(session: Session) -> Cooperative:
    """A protective-price apple contract with four deliveries, one of them rejected, one paid late."""
    cooperative = township.make_cooperative(session, "93370602MA3RPT0001")
    contract = township.make_contract(
        session,
        cooperative,
        rule=PriceRule.HIGHER_OF,
        quantity="10000",
        protective="3.00",
        premium="0.20",
        advance="5000.00",
        deposit="2000.00",
    )
    township.deliver(
        session,
        contract,
        dt.date(2024, 9, 10),
        "特级",
        "3000",
        market="3.10",
        paid="5000.00",
        paid_on=dt.date(2024, 9, 30),
    )
    township.deliver(
        session,
        contract,
        dt.date(2024, 10, 1),
        "一级",
        "4000",
        market="2.50",
        paid="12000.00",
        paid_on=dt.date(2024, 12, 20),
    )
    township.deliver(session, contract, dt.date(2024, 10, 20), "二级", "2000.5", market="2.90")
    township.deliver(session, contract, dt.date(2024, 11, 5), "等外", "300", accepted="0")
    return cooperative
