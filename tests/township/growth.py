"""A township that grows: villages with plans, projects, funding and years of income, cooperatives with booked
years, bulk rows and a federation they invest in; and a counter of the SQL statements an engine sends. For the
tests that a dashboard or report runs as many statements for a big township as for a small one."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from coopcore.models import (
    Cooperative,
    FundingSource,
    Member,
    MemberKind,
    PlanStatus,
    ProjectStatus,
    Township,
    Village,
    VillageIncome,
    VillageIncomeCategory,
)
from coopcore.services.ledger.sync import sync_events
from tests.admin.lists import add_rows
from tests.distribution.builders import make_example_1
from tests.ledger.builders import cr, dr
from tests.statements.test_statements import posted
from tests.township.builders import add_funding, add_project, add_threshold, make_plan
from tests.workbook.builders import cooperative_code

YEAR = 2024
CATEGORIES = (VillageIncomeCategory.OPERATING, VillageIncomeCategory.INVESTMENT)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements the engine sends while the block runs."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def make_county_township(session: Session, name: str = "增长镇") -> Township:
    """A township with a weak line of its own from 2015 on, and no villages yet."""
    township = Township(name=name, district="示例区")
    session.add(township)
    session.flush()
    add_threshold(session, 2015, "50000.00")
    add_threshold(session, 2020, "100000.00", township)
    return township


def add_villages(session: Session, township: Township, count: int, *, baseline_year: int) -> list[Village]:
    """Villages with a plan from baseline_year (a project with milestones, funding lines by source, one idle) and
    income of two categories every year from the one before the baseline to YEAR."""
    taken = len(township.villages)
    villages = [
        Village(township=township, name=f"{township.name}{taken + i + 1}村", region_code=f"{taken + i + 1:03d}")
        for i in range(count)
    ]
    session.add_all(villages)
    session.flush()
    for number, village in enumerate(villages):
        plan = make_plan(session, village, baseline=f"{20000 + number}.00", status=PlanStatus.IN_PROGRESS)
        plan.baseline_year = baseline_year
        project = add_project(session, plan, status=ProjectStatus.UNDERWAY, milestones=(
            ("立项", dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 5)), ("验收", dt.date(YEAR, 6, 1), None),
        ))  # fmt: skip
        add_funding(session, plan, allocated="300000.00", received="200000.00", spent="50000.00",
                    received_on=dt.date(YEAR - 1, 5, 1), project=project)  # fmt: skip
        add_funding(session, plan, allocated="40000.00", source=FundingSource.COLLECTIVE_SUPPORT_FUND)
        session.add_all(
            VillageIncome(village_id=village.id, year=year, category=category,
                          amount=Decimal(30000 + 9000 * (year - baseline_year) + number))
            for year in range(baseline_year - 1, YEAR + 1)
            for category in CATEGORIES
        )  # fmt: skip
    session.flush()
    return villages


_COOPERATIVES = itertools.count(400)


def add_cooperatives(session: Session, villages: list[Village], size: int) -> list[Cooperative]:
    """Example 1's cooperative in each village, its records booked (unposted event vouchers), with bulk trades,
    members and vouchers; and a federation that the first of them invests in, with a posted voucher each side."""
    cooperatives = []
    for village in villages:
        cooperative = make_example_1(session, number=next(_COOPERATIVES))
        cooperative.village_id = village.id
        session.flush()
        sync_events(session, cooperative)
        add_rows(session, cooperative, trades=size, members=size // 2, vouchers=size)
        cooperatives.append(cooperative)
    number = next(_COOPERATIVES)
    federation = Cooperative(name=f"示例联合社{number}", credit_code=cooperative_code(number), is_federation=True,
                             village_id=villages[0].id)  # fmt: skip
    session.add(federation)
    session.flush()
    first = cooperatives[0]
    session.add(Member(cooperative_id=federation.id, code="S01", name=first.name, kind=MemberKind.COOPERATIVE,
                       id_number=first.credit_code, joined_on=dt.date(YEAR - 1, 1, 1),
                       member_cooperative_id=first.id))  # fmt: skip
    session.flush()
    posted(session, first, f"{YEAR}-03-01", dr("131", "30000.00"), cr("102", "30000.00"))
    posted(session, federation, f"{YEAR}-03-01", dr("102", "30000.00"), cr("301", "30000.00", "S01"))
    return [*cooperatives, federation]


def township_of(session: Session, name: str) -> Township:
    return session.scalars(select(Township).where(Township.name == name)).one()
