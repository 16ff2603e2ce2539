"""The year-end workflow on the database, on SQLite, PostgreSQL and MariaDB, with docs/domain.md Example 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.i18n import render_error
from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    DistributionState,
    FiscalYear,
    FiscalYearState,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    Trade,
    VillageIncome,
)
from coopcore.services import distribution as workflow
from coopcore.services import ledger, year_end
from tests.distribution.builders import make_example_1

D = Decimal
EXPECTED_TOTALS = {"M01": "15674.10", "M02": "30765.90", "M03": "37733.05", "M04": "22052.13", "M05": "40880.80",
                   "M06": "16893.98"}  # fmt: skip


def approved(session: Session, cooperative: Cooperative):  # type: ignore[no-untyped-def]
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))
    workflow.approve_distribution(
        session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=5, votes_for=4
    )
    return distribution


def account(session: Session, cooperative: Cooperative, day: dt.date) -> dict[str, year_end.Balances]:
    codes = dict(session.execute(select(Member.id, Member.code).where(Member.cooperative_id == cooperative.id)).all())
    return {codes[member_id]: balance for member_id, balance in year_end.balances(session, cooperative.id, day).items()}


def test_example_one_is_planned_from_the_books_to_the_fen(session: Session) -> None:
    cooperative = make_example_1(session)
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    # Rules 11 and 12.
    assert (distribution.surplus, distribution.opening_undistributed) == (D("186543.27"), D("-4321.09"))
    assert (distribution.provident_fund, distribution.distributable) == (D("18222.22"), D("163999.96"))
    assert (distribution.patronage_pool, distribution.residual_pool) == (D("114799.97"), D("49199.99"))
    assert {line.member_code: str(line.total) for line in distribution.lines} == EXPECTED_TOTALS
    lines = {line.member_code: line for line in distribution.lines}
    assert lines["M05"].patronage_return == D("35152.17")  # rule 15
    assert lines["M01"].patronage_return == 0 and lines["M01"].residual_distribution == D("15674.10")  # rule 18
    assert lines["M01"].residual_weight == D("77166.67")  # rule 19
    assert [lines[c].subsidy_share for c in sorted(lines)] == [D("16666.67")] * 4 + [D("16666.66")] * 2  # rule 16


def test_replanning_a_draft_gives_the_same_result_and_keeps_one_plan(session: Session) -> None:
    cooperative = make_example_1(session)
    first = {line.member_code: line.total for line in workflow.plan_distribution(session, cooperative, 2024).lines}
    again = workflow.plan_distribution(session, cooperative, 2024)
    assert {line.member_code: line.total for line in again.lines} == first
    assert again.revision == 1


def test_the_assembly_needs_fifteen_days_notice_quorum_and_a_majority(session: Session) -> None:
    cooperative = make_example_1(session)
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    # Rule 26: a meeting on 2025-03-20 needs the plan published by 2025-03-05.
    with pytest.raises(workflow.NoticeTooShort):
        workflow.publish_distribution(
            session, distribution, published_on=dt.date(2025, 3, 6), assembly_on=dt.date(2025, 3, 20)
        )
    workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))
    with pytest.raises(workflow.NoQuorum):  # 3 of 6 present; two thirds is 4
        workflow.approve_distribution(
            session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=3, votes_for=3
        )
    with pytest.raises(workflow.NotPassed):  # 3 of 6 votes is not more than half
        workflow.approve_distribution(
            session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=6, votes_for=3
        )
    with pytest.raises(workflow.WrongState):  # booking before approval is blocked
        workflow.post_distribution(session, distribution)
    workflow.approve_distribution(
        session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=4, votes_for=4
    )
    assert distribution.state is DistributionState.APPROVED


def posted_and_closed(session: Session, cooperative: Cooperative) -> None:
    """Post the 2024 distribution, then close December: that closes the year."""
    workflow.post_distribution(session, approved(session, cooperative))
    ledger.close_period(session, cooperative, 2024, 12, by="会计")


def test_posting_writes_the_member_accounts_links_the_collective_income_and_december_s_close_closes_the_year(
    session: Session,
) -> None:
    cooperative = make_example_1(session)
    before = account(session, cooperative, dt.date(2024, 12, 31))
    workflow.post_distribution(session, approved(session, cooperative))
    year = session.scalar(
        select(FiscalYear).where(FiscalYear.cooperative_id == cooperative.id, FiscalYear.year == 2024)
    )
    assert year is not None and year.state is FiscalYearState.OPEN  # December stays open after posting
    ledger.close_period(session, cooperative, 2024, 12, by="会计")
    after = account(session, cooperative, dt.date(2024, 12, 31))
    assert after["M02"].provident_share == before["M02"].provident_share + D("3531.51")
    assert after["M05"].subsidy_share == D("16666.66") and after["M01"].donation_share == D("500.00")
    returned = session.scalar(
        select(func.sum(MemberAccountEntry.amount)).where(
            MemberAccountEntry.kind.in_([AccountEntryKind.PATRONAGE_RETURN, AccountEntryKind.RESIDUAL_DISTRIBUTION])
        )
    )
    assert returned == D("163999.96")
    session.refresh(year)
    assert year.state is FiscalYearState.CLOSED
    ledger.reopen_period(session, cooperative, 2024, 12, by="会计")  # 反结账 of December reopens the year
    session.refresh(year)
    assert year.state is FiscalYearState.OPEN
    income = session.scalars(select(VillageIncome)).all()
    assert [(i.year, i.amount) for i in income] == [(2024, D("15674.10"))]


def test_a_closed_year_refuses_edits(session: Session) -> None:
    cooperative = make_example_1(session)
    posted_and_closed(session, cooperative)
    trade = session.scalars(select(Trade).where(Trade.cooperative_id == cooperative.id)).first()
    assert trade is not None
    trade.quantity = D("2")
    with pytest.raises(PeriodClosed):
        session.flush()
    session.rollback()


def test_a_new_record_in_a_closed_year_is_refused(session: Session) -> None:
    cooperative = make_example_1(session)
    posted_and_closed(session, cooperative)
    session.add(IncomeExpense(cooperative_id=cooperative.id, recorded_on=dt.date(2024, 6, 1),
                              category=IncomeCategory.OTHER_INCOME, amount=D("1.00")))  # fmt: skip
    with pytest.raises(PeriodClosed):
        session.flush()
    session.rollback()


def test_reversing_restores_every_balance_exactly_and_keeps_the_history(session: Session) -> None:
    cooperative = make_example_1(session)
    before = account(session, cooperative, dt.date(2025, 12, 31))
    distribution = approved(session, cooperative)
    workflow.post_distribution(session, distribution)
    workflow.reverse_distribution(session, distribution)
    assert account(session, cooperative, dt.date(2025, 12, 31)) == before
    assert distribution.state is DistributionState.REVERSED
    assert session.scalar(select(func.count()).select_from(VillageIncome)) == 0
    entries = session.scalar(select(func.count()).where(MemberAccountEntry.source == distribution.source))
    assert entries and entries % 2 == 0  # each posting entry and its reversal stay
    replanned = workflow.plan_distribution(session, cooperative, 2024)
    assert replanned.revision == 2 and replanned.distributable == D("163999.96")


def test_payment_converted_to_capital_needs_a_resolution_and_raises_the_contribution(session: Session) -> None:
    cooperative = make_example_1(session)
    distribution = approved(session, cooperative)  # the plan's approval carries a resolution of its own
    workflow.post_distribution(session, distribution)
    with pytest.raises(workflow.ResolutionNeeded):
        workflow.pay_distribution(
            session, distribution, paid_on=dt.date(2025, 4, 1), method="capital", member_codes=["M02"]
        )
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 1), method="capital",
                              member_codes=["M02"], resolution="2025年第1号决议")  # fmt: skip
    assert account(session, cooperative, dt.date(2025, 4, 1))["M02"].contribution == D("20000.00") + D("30765.90")
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 2))
    assert distribution.state is DistributionState.PAID
    with pytest.raises(workflow.WrongState):
        workflow.reverse_distribution(session, distribution)


def test_the_next_year_opens_with_what_this_year_carried(session: Session) -> None:
    cooperative = make_example_1(session)
    workflow.post_distribution(session, approved(session, cooperative))
    assert year_end.opening_undistributed(session, cooperative.id, 2025) == 0


def test_a_plan_is_not_published_approved_or_paid_on_a_day_still_to_come(session: Session) -> None:
    cooperative = make_example_1(session)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    with pytest.raises(workflow.DayInFuture):
        workflow.publish_distribution(session, distribution, published_on=tomorrow)
    workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 1))
    with pytest.raises(workflow.DayInFuture):
        workflow.approve_distribution(session, distribution, assembly_on=tomorrow, members_present=5, votes_for=5)
    assert distribution.state is DistributionState.PUBLISHED
    workflow.approve_distribution(
        session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=5, votes_for=4
    )
    workflow.post_distribution(session, distribution)
    with pytest.raises(workflow.DayInFuture):
        workflow.pay_distribution(session, distribution, paid_on=tomorrow)
    assert all(line.paid_on is None for line in distribution.lines)


def test_members_are_not_paid_before_the_assembly_approved_the_plan(session: Session) -> None:
    cooperative = make_example_1(session)
    distribution = approved(session, cooperative)
    workflow.post_distribution(session, distribution)
    assert distribution.assembly_on is not None
    with pytest.raises(workflow.PaidBeforeApproval) as refused:
        workflow.pay_distribution(session, distribution, paid_on=distribution.assembly_on - dt.timedelta(days=1))
    assert "方案经成员大会通过后才能支付" in render_error(refused.value, "zh")
    assert workflow.pay_distribution(session, distribution, paid_on=distribution.assembly_on)  # the same day is fine
