"""Village collective income and the weak-village status on SQLite, PostgreSQL and MariaDB (§8.3, §9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue, NotFound
from coopcore.models import (
    Cooperative,
    Origin,
    PlanStatus,
    ProjectStatus,
    Township,
    Village,
    VillageIncome,
    VillageIncomeCategory,
)
from coopcore.services import distribution as workflow
from coopcore.services import lookups, village_income, villages
from coopcore.terms import RiskKind, VillageStatus
from tests.distribution.builders import make_example_1
from tests.township.builders import add_funding, add_income, add_project, add_threshold, make_plan, make_township

D = Decimal


def post_example_1(session: Session, cooperative: Cooperative) -> None:
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))
    workflow.approve_distribution(
        session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=5, votes_for=4
    )
    workflow.post_distribution(session, distribution)


def dongyuan(session: Session) -> tuple[Cooperative, Village]:
    """Example 1's cooperative and its village 东院村 with the §9.3 plan: baseline 21,000.00, target 100,000.00."""
    cooperative = make_example_1(session)
    village = session.get_one(Village, cooperative.village_id)
    make_plan(session, village, baseline="21000.00", target="100000.00", target_year=2026)
    add_income(session, village, 2024, "32000.00")
    return cooperative, village


def linked(session: Session, source: Origin) -> list[VillageIncome]:
    return list(session.scalars(select(VillageIncome).where(VillageIncome.origin == source)))


def test_the_section_9_3_example_is_still_weak_at_33_76_percent_after_the_dividend_is_linked(session: Session) -> None:
    cooperative, _ = dongyuan(session)
    post_example_1(session, cooperative)
    report = villages.village_status(session, year=2024, township="示例街道")
    (row,) = report.rows
    assert (row.village, row.income, row.dividends) == ("东院村", D("47674.10"), D("15674.10"))
    assert row.status is VillageStatus.WEAK and row.progress == D("33.76")
    (totals,) = report.townships
    assert totals.dividends == D("15674.10") and totals.investment_income == D("15674.10")
    assert totals.by_status[VillageStatus.WEAK] == 1


def test_a_posted_dividend_is_counted_once_and_a_reversal_takes_it_out(session: Session) -> None:
    cooperative, village = dongyuan(session)
    post_example_1(session, cooperative)
    distribution = lookups.live_distribution_or_none(session, cooperative, 2024)
    assert distribution is not None
    with pytest.raises(workflow.WrongState):  # posting again is refused: nothing is linked twice
        workflow.post_distribution(session, distribution)
    assert [r.amount for r in linked(session, Origin.DISTRIBUTION)] == [D("15674.10")]
    workflow.reverse_distribution(session, distribution)
    assert linked(session, Origin.DISTRIBUTION) == []
    assert village_income.operating_income(session, village.id, 2024) == D("32000.00")
    post_example_1(session, cooperative)  # re-planned as revision 2 and posted again
    assert [r.amount for r in linked(session, Origin.DISTRIBUTION)] == [D("15674.10")]
    assert village_income.operating_income(session, village.id, 2024) == D("47674.10")


def test_land_rent_is_linked_once_per_reference_and_a_rebooking_changes_it(session: Session) -> None:
    township = make_township(session, villages=1)
    village = township.villages[0]
    for _ in range(2):
        village_income.link_land_rent(
            session,
            village_id=village.id,
            year=2024,
            amount=D("8000.00"),
            source_ref="land:guarantee:3:2024:M01",
            memo="保底租金",
        )
    assert [r.amount for r in linked(session, Origin.LAND_GUARANTEE)] == [D("8000.00")]
    village_income.link_land_rent(
        session, village_id=village.id, year=2024, amount=D("8500.00"), source_ref="land:guarantee:3:2024:M01"
    )
    village_income.link_land_rent(
        session,
        village_id=village.id,
        year=2024,
        amount=D("1200.00"),
        source_ref="land:guarantee:3:2024:M02",
        category=VillageIncomeCategory.RENT,
    )
    assert sorted(r.amount for r in linked(session, Origin.LAND_GUARANTEE)) == [D("1200.00"), D("8500.00")]
    assert village_income.operating_income(session, village.id, 2024) == D("9700.00")
    assert village_income.unlink_land_rent(session, source_ref="land:guarantee:3:2024:", prefix=True) == 2
    assert village_income.operating_income(session, village.id, 2024) is None


def test_land_rent_and_a_dividend_of_the_same_year_add_up_without_counting_either_twice(session: Session) -> None:
    cooperative, village = dongyuan(session)
    post_example_1(session, cooperative)
    for _ in range(3):
        village_income.link_land_rent(
            session, village_id=village.id, year=2024, amount=D("6000.00"), source_ref="rent:1"
        )
    assert village_income.operating_income(session, village.id, 2024) == D("53674.10")
    assert session.scalar(select(func.count()).select_from(VillageIncome)) == 3


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"amount": D("-1.00")}, InvalidValue),
        ({"amount": D("1.001")}, InvalidValue),
        ({"category": VillageIncomeCategory.SUBSIDY}, InvalidValue),
        ({"source_ref": ""}, InvalidValue),
        ({"source_ref": "x" * 61}, InvalidValue),
        ({"village_id": 987654}, NotFound),
    ],
)
def test_bad_land_rent_links_are_refused(session: Session, changes: dict[str, Any], error: type[Exception]) -> None:
    village = make_township(session).villages[0]
    arguments: dict[str, Any] = {"village_id": village.id, "year": 2024, "amount": D("10.00"), "source_ref": "r:1"}
    with pytest.raises(error):
        village_income.link_land_rent(session, **{**arguments, **changes})


def test_thresholds_of_different_years_give_different_statuses(session: Session) -> None:
    township = make_township(session, villages=1)
    village = township.villages[0]
    add_threshold(session, 2015, "30000.00")
    add_threshold(session, 2021, "100000.00")
    for year in (2020, 2021):
        add_income(session, village, year, "47674.10")
    statuses = {
        year: villages.village_status(session, year=year, township=township.name).rows[0] for year in (2020, 2021)
    }
    assert statuses[2020].status is VillageStatus.ACHIEVED and statuses[2020].threshold.weak_below == D("30000.00")
    assert statuses[2021].status is VillageStatus.WEAK and statuses[2021].threshold.weak_below == D("100000.00")


def test_a_township_line_applies_to_its_own_villages_only(session: Session) -> None:
    strict, lenient = make_township(session, "严镇"), make_township(session, "宽镇")
    add_threshold(session, 2020, "100000.00")
    add_threshold(session, 2020, "50000.00", lenient)
    for township in (strict, lenient):
        add_income(session, township.villages[0], 2024, "60000.00")
    report = villages.village_status(session, year=2024)
    by_township = {row.township: row.status for row in report.rows if row.township in ("严镇", "宽镇")}
    assert by_township == {"严镇": VillageStatus.WEAK, "宽镇": VillageStatus.ACHIEVED}


def test_every_risk_flag_reaches_the_township_report(session: Session) -> None:
    township = make_township(session, villages=1)
    village = township.villages[0]
    plan = make_plan(session, village, target="100000.00", target_year=2024)
    add_income(session, village, 2024, "60000.00")
    add_income(session, village, 2025, "55000.00")
    add_income(session, village, 2025, "90000.00", "subsidy")  # does not count, does not hide the fall
    project = add_project(
        session,
        plan,
        milestones=(("主体完工", dt.date(2025, 3, 1), None), ("竣工验收", dt.date(2025, 6, 1), dt.date(2025, 6, 1))),
    )
    add_project(
        session,
        plan,
        name="已完工项目",
        status=ProjectStatus.COMPLETED,
        milestones=(("投产", dt.date(2024, 6, 1), None),),
    )
    add_funding(
        session, plan, allocated="300000.00", received="300000.00", received_on=dt.date(2025, 1, 10), project=project
    )
    add_funding(
        session, plan, allocated="50000.00", received="60000.00", spent="60000.00", received_on=dt.date(2024, 3, 1)
    )
    (row,) = villages.village_status(session, year=2025, township=township.name, as_of=dt.date(2025, 12, 31)).rows
    assert sorted(flag.rule for flag in row.risks) == sorted(kind.value for kind in RiskKind)
    assert row.shown_progress == D("43.04") and row.status is VillageStatus.WEAK
    # Half a year earlier the money had arrived less than six months before, and the milestone was not yet due.
    (earlier,) = villages.village_status(session, year=2025, township=township.name, as_of=dt.date(2025, 2, 1)).rows
    assert {flag.rule for flag in earlier.risks} == {"income_fell", "overspent", "target_year_passed"}


def test_villages_without_plan_or_income_are_left_out_and_others_are_listed(session: Session) -> None:
    township = make_township(session, villages=3)
    first, second, _ = township.villages
    add_income(session, first, 2024, "150000.00", "rent")
    make_plan(session, second)
    report = villages.village_status(session, year=2024, township=township.name)
    assert [(row.village, row.status) for row in report.rows] == [
        (first.name, VillageStatus.ACHIEVED),
        (second.name, VillageStatus.NOT_REPORTED),
    ]
    assert report.townships[0].with_plan == 1 and report.townships[0].newly_achieved == 1


def test_an_unknown_township_is_not_found_and_one_without_villages_has_an_empty_report(session: Session) -> None:
    with pytest.raises(NotFound):
        villages.village_status(session, year=2024, township="没有这个镇")
    empty = make_township(session, "空镇", villages=0)
    assert villages.village_status(session, year=2024, township=empty.name).rows == []


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_status_of_many_villages_takes_as_many_queries_as_that_of_one(session: Session, engine: Engine) -> None:
    def township_with(name: str, count: int) -> Township:
        township = make_township(session, name, villages=count)
        for village in township.villages:
            plan = make_plan(session, village)
            add_income(session, village, 2023, "50000.00")
            add_income(session, village, 2024, "40000.00")
            project = add_project(session, plan, milestones=(("节点", dt.date(2024, 5, 1), None),))
            add_funding(
                session, plan, allocated="1000.00", received="1000.00", received_on=dt.date(2023, 1, 1), project=project
            )
        return township

    small, large = township_with("小镇", 1), township_with("大镇", 12)
    session.flush()
    with counted(engine) as one:
        villages.village_status(session, year=2024, township=small.name)
    with counted(engine) as twelve:
        report = villages.village_status(session, year=2024, township=large.name)
    assert len(report.rows) == 12 and all(len(row.risks) == 3 for row in report.rows)
    assert len(twelve) == len(one) <= 6


def test_a_plan_moves_forward_and_is_achieved_only_with_the_income_to_show_for_it(session: Session) -> None:
    village = make_township(session).villages[0]
    plan = make_plan(session, village, target="120000.00", status=PlanStatus.FILED)
    with pytest.raises(villages.PlanStepRefused):
        villages.advance_plan(session, plan, PlanStatus.ACHIEVED, year=2024)
    villages.advance_plan(session, plan, PlanStatus.IN_PROGRESS, year=2024)
    add_income(session, village, 2024, "110000.00")  # over the weak line, short of the plan's 120,000.00
    with pytest.raises(villages.TargetNotReached):
        villages.advance_plan(session, plan, PlanStatus.ACHIEVED, year=2024)
    add_income(session, village, 2024, "10000.00", "investment")
    villages.advance_plan(session, plan, PlanStatus.ACHIEVED, year=2024)
    villages.advance_plan(session, plan, PlanStatus.MONITORED, year=2025)
    assert plan.status is PlanStatus.MONITORED


def test_achieving_is_judged_on_the_latest_year_the_village_reported_income_for(session: Session) -> None:
    village = make_township(session).villages[0]
    plan = make_plan(session, village, target="120000.00")
    add_income(session, village, 2023, "130000.00")  # the target reached in 2023 ...
    add_income(session, village, 2024, "90000.00")  # ... but 2024, the latest year reported, fell short
    with pytest.raises(villages.TargetNotReached) as refused:
        villages.advance_plan(session, plan, PlanStatus.ACHIEVED)
    assert refused.value.fields["year"] == 2024
    add_income(session, village, 2024, "40000.00")
    villages.advance_plan(session, plan, PlanStatus.ACHIEVED)
    assert plan.status is PlanStatus.ACHIEVED
