"""Exits, member accounts, land guarantees and other patronage measures, on the three databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import (
    Bylaws,
    Cooperative,
    IncomeExpense,
    LandParcel,
    LandShare,
    Member,
    MemberKind,
    Origin,
    PatronageMeasure,
    VillageIncome,
)
from coopcore.services import distribution as workflow
from coopcore.services import exits, year_end
from coopcore.services.land import book_land_guarantees, land_guarantees
from coopcore.services.member_account import member_account
from coopcore.validation import resident_id
from tests.distribution.builders import make_example_1

D = Decimal


def member(session: Session, cooperative: Cooperative, code: str) -> Member:
    found = session.scalar(select(Member).where(Member.cooperative_id == cooperative.id, Member.code == code))
    assert found is not None
    return found


def post_2024(session: Session, cooperative: Cooperative):  # type: ignore[no-untyped-def]
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))
    workflow.approve_distribution(
        session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=6, votes_for=6
    )
    return workflow.post_distribution(session, distribution)


def test_a_leaver_takes_part_in_the_year_then_its_subsidy_share_passes_to_the_others(session: Session) -> None:
    cooperative = make_example_1(session)
    leaver = member(session, cooperative, "M06")
    assert exits.apply_exit(session, leaver, dt.date(2024, 9, 30)) == dt.date(2024, 12, 31)
    distribution = post_2024(session, cooperative)
    line = next(line for line in distribution.lines if line.member_code == "M06")
    assert line.total == D("16893.98")  # unchanged: a year-end leaver is on the roster on 31 December
    held = year_end.balances(session, cooperative.id, dt.date(2024, 12, 31))
    assert held[leaver.id].subsidy_share == 0 and held[leaver.id].donation_share == 0
    others = [held[member(session, cooperative, f"M0{i}").id].subsidy_share for i in range(1, 6)]
    assert others == [D("20000.00")] * 5  # 100,000.00 re-quantified over the five who stay [SD-22]


def test_a_leaver_is_paid_contribution_and_provident_share_once_the_year_is_posted(session: Session) -> None:
    cooperative = make_example_1(session)
    leaver = member(session, cooperative, "M06")
    exits.apply_exit(session, leaver, dt.date(2024, 9, 1))
    with pytest.raises(exits.NotYetSettleable):
        exits.pay_out(session, leaver, dt.date(2025, 1, 10))
    post_2024(session, cooperative)
    result = exits.pay_out(session, leaver, dt.date(2025, 4, 1))
    assert result.is_final and result.settlement.loss_share == 0
    assert result.settlement.refund == D("8000.00") + D("2121.77")  # Example 1: 320.00 + 1,801.77 provident
    after = year_end.balances(session, cooperative.id, dt.date(2025, 12, 31))[leaver.id]
    assert (after.contribution, after.provident_share) == (0, 0)
    with pytest.raises(exits.AlreadyLeft):
        exits.pay_out(session, leaver, dt.date(2025, 4, 2))


def test_a_leaver_with_nothing_to_take_back_is_settled_once_too(session: Session) -> None:
    cooperative = make_example_1(session)
    first17 = "37060219800101123"
    id_number = first17 + resident_id.calc_check_digit(first17)
    labourer = Member(cooperative=cooperative, code="M07", name="赵小工", kind=MemberKind.FARMER,
                      joined_on=dt.date(2023, 1, 1), id_number=id_number)  # fmt: skip
    session.add(labourer)
    session.flush()
    exits.apply_exit(session, labourer, dt.date(2024, 9, 1))
    post_2024(session, cooperative)
    assert exits.paid_out_on(session, labourer) is None
    result = exits.pay_out(session, labourer, dt.date(2025, 4, 1))
    assert result.settlement.refund == 0
    assert exits.paid_out_on(session, labourer) == dt.date(2025, 4, 1)  # a 0.00 refund entry records it
    with pytest.raises(exits.AlreadyLeft):
        exits.pay_out(session, labourer, dt.date(2025, 4, 2))


def test_an_organisation_that_applies_in_july_leaves_at_the_end_of_next_year(session: Session) -> None:
    cooperative = make_example_1(session)
    collective = member(session, cooperative, "M01")
    assert exits.apply_exit(session, collective, dt.date(2024, 7, 1)) == dt.date(2025, 12, 31)


def test_the_member_account_has_opening_lines_and_closing_in_the_official_columns(session: Session) -> None:
    cooperative = make_example_1(session)
    post_2024(session, cooperative)
    account = member_account(session, member(session, cooperative, "M05"), 2024)
    assert account.opening.other_contribution == D("5000.00") and account.opening.provident_share == D("456.78")
    assert account.amount_by_product == {"示例苹果": D("61240.75")}
    assert account.closing.provident_share == D("456.78") + D("5579.71")
    assert account.closing.patronage_return == D("35152.17")
    assert account.closing.residual_distribution == D("5728.63")
    assert account.closing.subsidy_share == D("16666.66")
    assert [row.number for row in account.rows] == list(range(1, len(account.rows) + 1))


def add_land(session: Session, cooperative: Cooperative) -> None:
    for code, area, start in (("M01", "10.5", dt.date(2024, 1, 1)), ("M02", "3.25", dt.date(2024, 7, 1))):
        owner = member(session, cooperative, code)
        parcel = LandParcel(cooperative_id=cooperative.id, member_id=owner.id, code=f"P-{code}", area_mu=D(area),
                            contract_end_on=dt.date(2028, 12, 31))  # fmt: skip
        session.add(LandShare(parcel=parcel, member_id=owner.id, area_mu=D(area), start_on=start,
                              end_on=dt.date(2028, 12, 31), guarantee_per_mu=D("700.00")))  # fmt: skip
    session.flush()


def test_land_guarantees_follow_the_days_a_share_was_active_and_book_once(session: Session) -> None:
    cooperative = make_example_1(session)
    add_land(session, cooperative)
    rows = {row.member_code: row.amount for row in land_guarantees(session, cooperative, 2024)}
    # M02 from 1 July: 3.25 × 700 × 184 / 366 = 1,143.7158… → 1,143.72; M01 the whole year: 7,350.00.
    assert rows == {"M01": D("7350.00"), "M02": D("1143.72")}
    surplus_before = year_end.year_surplus(session, cooperative.id, 2024)
    first = book_land_guarantees(session, cooperative, 2024)
    again = book_land_guarantees(session, cooperative, 2024)
    assert (first.added, first.changed, first.changed_nothing) == (2, 0, False)
    assert (again.added, again.changed, again.changed_nothing) == (0, 0, True)
    assert again.guarantees == first.guarantees
    assert year_end.year_surplus(session, cooperative.id, 2024) == surplus_before - D("8493.72")
    booked = session.scalars(select(IncomeExpense).where(IncomeExpense.source.like("land_guarantee:2024:%"))).all()
    assert len(booked) == 2
    rent = session.scalars(select(VillageIncome).where(VillageIncome.origin == Origin.LAND_GUARANTEE)).all()
    assert [(r.year, r.amount) for r in rent] == [(2024, D("7350.00"))]  # the collective's rent, linked once


def test_patronage_can_be_measured_in_mu_of_land_shares(session: Session) -> None:
    cooperative = make_example_1(session)
    add_land(session, cooperative)
    bylaws = session.scalar(select(Bylaws).where(Bylaws.cooperative_id == cooperative.id))
    assert bylaws is not None
    bylaws.patronage_measure = PatronageMeasure.MU
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    returns = {line.member_code: line.patronage_return for line in distribution.lines if line.patronage_return}
    # mu-days: 10.5 × 366 = 3,843 and 3.25 × 184 = 598 of the 114,799.97 pool.
    assert set(returns) == {"M01", "M02"}
    assert sum(returns.values()) == distribution.patronage_pool
    assert returns["M01"] == D("99341.65")  # 114,799.97 × 3,843 / 4,441 = 99,341.6538…


def test_patronage_can_be_measured_in_quantity(session: Session) -> None:
    cooperative = make_example_1(session)
    bylaws = session.scalar(select(Bylaws).where(Bylaws.cooperative_id == cooperative.id))
    assert bylaws is not None
    bylaws.patronage_measure = PatronageMeasure.QUANTITY
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    # Each of the five farmers delivered one lot: equal quantities, equal returns within a fen.
    returns = sorted(line.patronage_return for line in distribution.lines if line.patronage_return)
    assert len(returns) == 5 and returns[-1] - returns[0] <= D("0.01")
