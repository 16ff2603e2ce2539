"""A loss covered from the provident fund (02表 line 14, 其他转入): decided by the assembly with the plan, booked
Dr 322 / Cr 332—未分配盈余 when posted, taken from the members' provident shares, shown by the statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue
from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    Distribution,
    DistributionState,
    IncomeCategory,
    IncomeExpense,
    MemberAccountEntry,
    Voucher,
    VoucherOrigin,
)
from coopcore.rules.entries import CoverExceedsLoss, CoverExceedsReserve, CoverResolutionRequired
from coopcore.services import distribution as workflow
from coopcore.services import ledger, year_end
from coopcore.services.ledger.reconcile import reconcile
from coopcore.services.ledger.sync import sync_events
from coopcore.services.statements import statements
from tests.distribution.builders import make_example_1
from tests.distribution.test_distribution_workflow import account
from tests.ledger.builders import AUDITOR
from tests.ledger.test_distribution_vouchers import booked, lines
from tests.statements.identities import assert_identities

D = Decimal
RESOLUTION = "2025年第1号成员大会决议"
YEAR_END = dt.date(2024, 12, 31)
# Example 1 with 190,000.00 more of operating expenses: a loss of 3,456.73 on top of the 4,321.09 carried in.
LOSS_LEFT = D("7777.82")
RESERVE = D("2998.99")  # the members' provident shares of Example 1, carried into 322


def make_loss_year(session: Session) -> Cooperative:
    cooperative = make_example_1(session)
    session.add(IncomeExpense(cooperative_id=cooperative.id, recorded_on=dt.date(2024, 12, 20),
                              category=IncomeCategory.OPERATING_EXPENSE, amount=D("190000.00")))  # fmt: skip
    session.flush()
    sync_events(session, cooperative)  # the 收支 rows, and the years before the books: 322 holds the shares
    return cooperative


def published(session: Session, cooperative: Cooperative) -> Distribution:
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    return workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))


def approve(session: Session, distribution: Distribution, **kwargs: object) -> Distribution:
    return workflow.approve_distribution(
        session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=5, votes_for=4, **kwargs
    )


def test_a_loss_covered_from_the_provident_fund_is_line_14_and_the_statements_still_add_up(session: Session) -> None:
    cooperative = make_loss_year(session)
    distribution = approve(session, published(session, cooperative), resolution=RESOLUTION,
                           loss_covered_by_provident_fund=D("2000.00"))  # fmt: skip
    assert distribution.loss_covered_by_provident_fund == D("2000.00")
    assert distribution.distributable == 0  # a year that leaves a loss distributes nothing
    workflow.post_distribution(session, distribution)

    (voucher,) = [v for v in booked(session, cooperative, VoucherOrigin.DISTRIBUTION) if "弥补亏损" in v.summary]
    assert lines(session, voucher) == [("322", "2000.00", "0.00", ""), ("33202", "0.00", "2000.00", "")]
    # The members' provident shares give up the 2,000.00 pro rata to what they hold (largest remainder).
    shares = {code: balance.provident_share for code, balance in account(session, cooperative, YEAR_END).items()}
    assert shares == {"M01": D("0.00"), "M02": D("411.24"), "M03": D("329.00"), "M04": D("0.00"),
                      "M05": D("152.16"), "M06": D("106.59")}  # fmt: skip
    assert sum(shares.values()) == RESERVE - D("2000.00") == year_end.surplus_reserve(session, cooperative.id, YEAR_END)
    # The member register and the books agree on 322: the covered loss is no difference.
    assert [f for f in reconcile(session, cooperative, YEAR_END) if f.key == "322"] == []

    carried = session.scalars(select(Voucher).where(Voucher.cooperative_id == cooperative.id,
                                                    Voucher.source_ref == "carried:2024")).one()  # fmt: skip
    ledger.audit_voucher(session, carried, by=AUDITOR)
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    found = statements(session, cooperative, 2024)
    surplus = found.this_year
    assert (surplus[12], surplus[13], surplus[14], surplus[15]) == (D("-3456.73"), D("-4321.09"), D("2000.00"), 0)
    assert surplus[16] == surplus[20] == -LOSS_LEFT + D("2000.00") == found.closing[40]
    assert found.closing[39] == RESERVE - D("2000.00")
    assert found.equity.decrease["surplus_reserve"]["loss_covered"] == D("2000.00")
    assert found.equity.increase["undistributed"]["other_transfers"] == D("2000.00")
    assert_identities(found)


def test_covering_more_than_the_loss_or_than_322_holds_or_without_a_resolution_is_refused(session: Session) -> None:
    cooperative = make_loss_year(session)
    distribution = published(session, cooperative)
    for value, resolution, error in (
        (RESERVE + D("0.01"), RESOLUTION, CoverExceedsReserve),
        (D("1000.00"), "", CoverResolutionRequired),
        (D("-1.00"), RESOLUTION, InvalidValue),
    ):
        with pytest.raises(error) as raised, session.begin_nested():
            approve(session, distribution, resolution=resolution, loss_covered_by_provident_fund=value)
        session.expire_all()
    assert distribution.state is DistributionState.PUBLISHED and distribution.loss_covered_by_provident_fund == 0
    assert raised.type is InvalidValue
    # The whole reserve may go: the loss (7,777.82) is larger.
    approve(session, distribution, resolution=RESOLUTION, loss_covered_by_provident_fund=RESERVE)
    assert distribution.loss_covered_by_provident_fund == RESERVE


def test_a_year_whose_surplus_covers_the_loss_has_nothing_to_cover_from_the_provident_fund(session: Session) -> None:
    cooperative = make_example_1(session)
    sync_events(session, cooperative)
    distribution = published(session, cooperative)
    with pytest.raises(CoverExceedsLoss) as raised, session.begin_nested():
        approve(session, distribution, resolution=RESOLUTION, loss_covered_by_provident_fund=D("1.00"))
    assert raised.value.fields["loss"] == D("0.00")
    assert "2024" in str(raised.value)


def test_the_refusal_reads_in_chinese(session: Session) -> None:
    from coopcore.i18n import render

    cooperative = make_loss_year(session)
    distribution = published(session, cooperative)
    with pytest.raises(CoverExceedsReserve) as raised, session.begin_nested():
        approve(session, distribution, resolution=RESOLUTION, loss_covered_by_provident_fund=D("5000.00"))
    said = render(raised.value.message_template, "zh", **raised.value.fields)
    assert said == "不能动用盈余公积 5000.00 弥补亏损：2024-12-31 盈余公积（322）余额为 2998.99。"


def test_reversing_gives_the_members_their_provident_shares_back(session: Session) -> None:
    cooperative = make_loss_year(session)
    distribution = approve(session, published(session, cooperative), resolution=RESOLUTION,
                           loss_covered_by_provident_fund=D("2000.00"))  # fmt: skip
    workflow.post_distribution(session, distribution)
    workflow.reverse_distribution(session, distribution)
    shares = sum((b.provident_share for b in account(session, cooperative, YEAR_END).values()), D(0))
    assert shares == RESERVE == year_end.surplus_reserve(session, cooperative.id, YEAR_END)
    covered = MemberAccountEntry.kind == AccountEntryKind.PROVIDENT_SHARE
    assert session.scalar(select(MemberAccountEntry.id).where(covered, MemberAccountEntry.amount < 0).limit(1))
