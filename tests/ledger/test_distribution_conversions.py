"""Returns converted into contributions: with the plan at approval (§15 rule 25b) and later, when paid (rule 25a)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue
from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    Distribution,
    DistributionState,
    MemberAccountEntry,
    VoucherOrigin,
)
from coopcore.rules.entries import ConversionExceedsShare, ResolutionRequired
from coopcore.services import distribution as workflow
from coopcore.services import ledger
from coopcore.services.statements import statements
from tests.distribution.builders import make_example_1
from tests.distribution.test_distribution_workflow import EXPECTED_TOTALS, account
from tests.ledger.test_distribution_vouchers import booked, lines

D = Decimal
RESOLUTION = "2025年第1号成员大会决议"
YEAR_END = dt.date(2024, 12, 31)


def published(session: Session, cooperative: Cooperative) -> Distribution:
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    return workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))


def approve(session: Session, distribution: Distribution, **kwargs: object) -> Distribution:
    return workflow.approve_distribution(
        session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=5, votes_for=4, **kwargs
    )


def owed(session: Session, cooperative: Cooperative, year: int, member: str) -> Decimal:
    """What 221 and 222 hold for a member at the end of the year."""
    ledger_lines = [
        line
        for voucher in booked(session, cooperative, VoucherOrigin.DISTRIBUTION)
        + booked(session, cooperative, VoucherOrigin.PAYMENT)
        if voucher.year <= year
        for line in lines(session, voucher)
    ]
    owing = [D(credit) - D(debit) for code, debit, credit, m in ledger_lines if code in ("221", "222") and m == member]
    return sum(owing, D(0))


def conversions(session: Session) -> list[tuple[dt.date, Decimal]]:
    query = select(MemberAccountEntry.entry_on, MemberAccountEntry.amount).where(
        MemberAccountEntry.kind == AccountEntryKind.CAPITAL_CONVERSION
    )
    return sorted((day, value) for day, value in session.execute(query))


def test_converting_part_of_a_share_with_the_plan_books_332_to_301_and_declares_only_the_rest(
    session: Session,
) -> None:
    cooperative = make_example_1(session)
    distribution = approve(session, published(session, cooperative), resolution=RESOLUTION,
                           conversions={"M04": D("5000.00")})  # fmt: skip
    workflow.post_distribution(session, distribution)

    vouchers = booked(session, cooperative, VoucherOrigin.DISTRIBUTION)
    converted = next(v for v in vouchers if "转为成员出资" in v.summary)
    # §15 rule 25b: Dr 332—各项分配 / Cr 301 for the member, with the resolution in the 摘要.
    assert lines(session, converted) == [("33201", "5000.00", "0.00", ""), ("301", "0.00", "5000.00", "M04")]
    assert RESOLUTION in converted.summary
    # Taken out of the residual first (6,034.52), so the patronage return stays whole on 221.
    assert owed(session, cooperative, 2024, "M04") == D(EXPECTED_TOTALS["M04"]) - D("5000.00")
    declared = {code: (D(credit), member) for code, _, credit, member in
                (line for v in vouchers for line in lines(session, v)) if member == "M04"}  # fmt: skip
    assert declared == {"221": (D("16017.61"), "M04"), "222": (D("1034.52"), "M04"), "301": (D("5000.00"), "M04")}
    # The member's account: the contribution rises on 31 December; the returns it was allocated stay as declared.
    assert conversions(session) == [(YEAR_END, D("5000.00"))]
    assert account(session, cooperative, YEAR_END)["M04"].contribution == D("15000.00")

    ledger.close_period(session, cooperative, 2024, 12, by="会计")
    balance = ledger.trial_balance(session, cooperative, 2024)
    for code in ("33201", "331"):
        assert balance.row(code).columns.closing_credit == balance.row(code).columns.closing_debit == 0, code
    # 未分配盈余 is what Example 1 leaves: the books of the example do not hold the 2023 loss, with it 0.00.
    assert balance.row("33202").columns.closing_credit == -distribution.opening_undistributed
    # 02表: line 19 holds the conversion, lines 17-18 exclude it, line 20 is still 0.00.
    statement = statements(session, cooperative, 2024).this_year
    assert statement[17] == D("114799.97") and statement[18] == D("49199.99") - D("5000.00")
    # Line 20 is what 未分配盈余 holds: the 2023 loss, which the example's books do not hold (0.00 with it).
    assert statement[19] == D("5000.00") and statement[20] == -distribution.opening_undistributed


def test_paying_after_a_conversion_pays_only_what_was_declared_payable(session: Session) -> None:
    cooperative = make_example_1(session)
    distribution = approve(session, published(session, cooperative), resolution=RESOLUTION,
                           conversions={"M04": D("5000.00"), "M05": D(EXPECTED_TOTALS["M05"])})  # fmt: skip
    workflow.post_distribution(session, distribution)
    paid = workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 15))

    assert {line.member_code: line.payable for line in paid}["M05"] == D("0.00")
    (voucher,) = booked(session, cooperative, VoucherOrigin.PAYMENT)
    m04 = [line for line in lines(session, voucher) if line[3] == "M04"]
    assert m04 == [("221", "16017.61", "0.00", "M04"), ("222", "1034.52", "0.00", "M04")]
    assert all(line[3] != "M05" for line in lines(session, voucher))  # wholly converted: nothing to pay
    total = sum((D(value) for value in EXPECTED_TOTALS.values()), D(0)) - D("5000.00") - D(EXPECTED_TOTALS["M05"])
    assert lines(session, voucher)[-1] == ("102", "0.00", str(total), "")
    assert owed(session, cooperative, 2025, "M04") == owed(session, cooperative, 2025, "M05") == 0
    assert distribution.state is DistributionState.PAID


def test_a_distribution_paid_member_by_member_is_paid_with_its_last_payable_line_though_one_was_converted_whole(
    session: Session,
) -> None:
    cooperative = make_example_1(session)
    distribution = approve(session, published(session, cooperative), resolution=RESOLUTION,
                           conversions={"M05": D(EXPECTED_TOTALS["M05"])})  # fmt: skip
    workflow.post_distribution(session, distribution)
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 15), member_codes=["M01", "M02"])
    assert distribution.state is DistributionState.POSTED
    # M05 has nothing left to pay: paying the others pays the distribution, and no one is asked to pay M05.
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 16), member_codes=["M03", "M04", "M06"])
    assert distribution.state is DistributionState.PAID
    m05 = next(line for line in distribution.lines if line.member_code == "M05")
    assert m05.paid_on == dt.date(2025, 4, 16) and m05.payable == 0
    paid = [line for voucher in booked(session, cooperative, VoucherOrigin.PAYMENT) for line in lines(session, voucher)]
    assert all(line[3] != "M05" for line in paid)


def test_a_return_converted_later_books_221_and_222_to_301_unlike_one_converted_with_the_plan(
    session: Session,
) -> None:
    cooperative = make_example_1(session)
    distribution = approve(session, published(session, cooperative), resolution=RESOLUTION,
                           conversions={"M04": D("5000.00")})  # fmt: skip
    workflow.post_distribution(session, distribution)
    # Rule 25a for the rest of M04's share and the whole of M03's: their own resolution, Dr 221/222 / Cr 301.
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 16), method="capital",
                              member_codes=["M03", "M04"], resolution="2025年第2号成员大会决议")  # fmt: skip

    (later,) = booked(session, cooperative, VoucherOrigin.PAYMENT)
    assert lines(session, later) == [
        ("221", "30030.52", "0.00", "M03"),
        ("222", "7702.53", "0.00", "M03"),
        ("221", "16017.61", "0.00", "M04"),
        ("222", "1034.52", "0.00", "M04"),
        ("301", "0.00", EXPECTED_TOTALS["M03"], "M03"),
        ("301", "0.00", "17052.13", "M04"),
    ]
    assert "2025年第2号成员大会决议" in later.summary
    # With the plan: 332 → 301 on 31 December; later: 221/222 → 301 on the day. Both raise the contribution.
    assert conversions(session) == [(YEAR_END, D("5000.00")), (dt.date(2025, 4, 16), D("17052.13")),
                                    (dt.date(2025, 4, 16), D(EXPECTED_TOTALS["M03"]))]  # fmt: skip
    assert account(session, cooperative, dt.date(2025, 4, 16))["M04"].contribution == D("10000.00") + D("22052.13")
    statement = statements(session, cooperative, 2025).this_year
    assert statement[19] == D("0.00")  # the later conversion is on line 17-18 of 2024 already, never counted twice
    assert statements(session, cooperative, 2024, include_unposted=True).this_year[19] == D("5000.00")


def test_without_a_resolution_neither_conversion_is_recorded_and_nothing_is_written(session: Session) -> None:
    cooperative = make_example_1(session)
    distribution = published(session, cooperative)
    with pytest.raises(ResolutionRequired), session.begin_nested():
        approve(session, distribution, conversions={"M04": D("5000.00")})
    session.expire_all()
    assert distribution.state is DistributionState.PUBLISHED
    assert {line.converted for line in distribution.lines} == {D("0.00")}

    approve(session, distribution)
    workflow.post_distribution(session, distribution)
    with pytest.raises(workflow.ResolutionNeeded), session.begin_nested():
        workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 16), method="capital",
                                  member_codes=["M04"])  # fmt: skip
    session.expire_all()
    assert booked(session, cooperative, VoucherOrigin.PAYMENT) == []
    assert conversions(session) == []
    assert all(line.paid_on is None for line in distribution.lines)


def test_a_conversion_beyond_the_share_or_of_a_stranger_is_refused(session: Session) -> None:
    distribution = published(session, make_example_1(session))
    too_much = D(EXPECTED_TOTALS["M04"]) + D("0.01")
    for conversion, error in (({"M04": too_much}, ConversionExceedsShare), ({"M99": D("1.00")}, InvalidValue),
                              ({"M04": D("0.00")}, InvalidValue)):  # fmt: skip
        with pytest.raises(error), session.begin_nested():
            approve(session, distribution, resolution=RESOLUTION, conversions=conversion)
        session.expire_all()
    assert distribution.state is DistributionState.PUBLISHED


def test_reversing_takes_the_conversion_out_of_the_books_and_the_member_account(session: Session) -> None:
    cooperative = make_example_1(session)
    distribution = approve(session, published(session, cooperative), resolution=RESOLUTION,
                           conversions={"M04": D("5000.00")})  # fmt: skip
    workflow.post_distribution(session, distribution)
    workflow.reverse_distribution(session, distribution)

    assert booked(session, cooperative, VoucherOrigin.DISTRIBUTION) == []
    assert account(session, cooperative, YEAR_END)["M04"].contribution == D("10000.00")
    converted = MemberAccountEntry.kind == AccountEntryKind.CAPITAL_CONVERSION
    total = session.scalar(select(func.sum(MemberAccountEntry.amount)).where(converted))
    assert total == 0
    balance = ledger.trial_balance(session, cooperative, 2024, include_unposted=True)
    assert balance.row("301").columns.closing_credit == 0  # the example books no contributions: only 5,000.00 was there
