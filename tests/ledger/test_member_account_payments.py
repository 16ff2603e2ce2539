"""The 成员账户 shows payments and conversions as they happened and what is still owed apart from the history; the
dividend slip's figures are the plan's and the books' (issue #17), on every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, DistributionLine, PaymentMethod
from coopcore.money import ZERO, ratio_half_up
from coopcore.rules.entries import net_of_conversion
from coopcore.services import lookups
from coopcore.services.dividend_slips import RATE_PLACES, households_owed, plan_rates
from coopcore.services.ledger.owed import member_statement
from coopcore.services.lookups import member_by_code
from coopcore.services.member_account import member_account
from tests.reports import builders

D = Decimal
CHENLIANG = "93370671MA3H6XFL2R"


def _line(session: Session, distribution_id: int, code: str) -> DistributionLine:
    return session.scalars(
        select(DistributionLine).where(
            DistributionLine.distribution_id == distribution_id, DistributionLine.member_code == code
        )
    ).one()


def test_a_paid_year_reads_as_paid_the_next_year_and_no_longer_as_owed(session: Session) -> None:
    cooperative, distribution = builders.example(session, "paid")  # paid in cash on 2025-04-02, M02 converted
    member = member_by_code(session, cooperative, "M03")
    line = _line(session, distribution.id, "M03")
    declared = member_account(session, member, 2024)
    assert declared.owed["221"].closing == line.patronage_return > 0  # owed at the 2024 year end, as it was
    assert declared.owed["222"].closing == line.residual_distribution > 0
    assert not [row for row in declared.rows if row.payment is not None]

    paid_year = member_account(session, member, 2025)
    # The history stays: the 2024 returns open 2025 in their columns ...
    assert paid_year.opening.patronage_return == line.patronage_return
    assert paid_year.closing.patronage_return == line.patronage_return
    # ... and a dated line says they were paid, from the books, with the method of the distribution's line.
    payments = [row for row in paid_year.rows if row.payment is not None]
    assert [(row.day, row.payment.returns, row.payment.residual) for row in payments] == [  # type: ignore[union-attr]
        (dt.date(2025, 4, 2), line.patronage_return, line.residual_distribution)
    ]
    payment = payments[0].payment
    assert payment is not None and payment.booked
    assert payment.methods == (PaymentMethod.CASH,) and payment.years == (2024,)
    assert payments[0].amounts.patronage_return == ZERO  # a payment moves no column of the history
    memo = payments[0].describe("zh")
    assert "2024年度分配" in memo and "凭证 2025-04" in memo and "盈余返还 ¥" in memo
    # What is still owed is the books' and apart: nothing on 221 and 222 once paid.
    assert paid_year.owed["221"].closing == paid_year.owed["222"].closing == ZERO
    assert paid_year.owed["221"].payments == line.patronage_return
    books = member_statement(session, cooperative, member, dt.date(2025, 1, 1), dt.date(2025, 12, 31),
                             as_they_stand=True)  # fmt: skip
    assert paid_year.still_owed == books.total.closing
    assert paid_year.paid == line.total


def test_a_return_converted_when_paid_is_counted_once_in_the_contribution(session: Session) -> None:
    cooperative, distribution = builders.example(session, "paid")  # M02 converted by resolution on 2025-04-01
    member = member_by_code(session, cooperative, "M02")
    line = _line(session, distribution.id, "M02")
    account = member_account(session, member, 2025)
    converted = [row for row in account.rows if row.amounts.other_contribution]
    assert len(converted) == 1 and converted[0].day == dt.date(2025, 4, 1)
    moved = converted[0].amounts
    assert moved.other_contribution == line.total
    assert (moved.patronage_return, moved.residual_distribution) == (
        -line.patronage_return,
        -line.residual_distribution,
    )
    # Across the form the return is in 出资 only: the returns' history is what was not converted.
    assert account.closing.patronage_return + account.closing.residual_distribution == ZERO
    assert account.closing.other_contribution - account.opening.other_contribution == line.total
    assert not [row for row in account.rows if row.payment is not None]  # a conversion pays no money
    assert account.owed["221"].closing == account.owed["222"].closing == ZERO


def test_a_return_converted_with_the_plan_moves_out_of_the_residual_first_and_is_counted_once(
    session: Session,
) -> None:
    cooperative, distribution = builders.example(session, "posted", conversions={"M03": D("3000.00")})
    member = member_by_code(session, cooperative, "M03")
    line = _line(session, distribution.id, "M03")
    account = member_account(session, member, 2024)
    returned, residual = net_of_conversion(line.patronage_return, line.residual_distribution, D("3000.00"))
    assert account.closing.patronage_return - account.opening.patronage_return == returned
    assert account.closing.residual_distribution - account.opening.residual_distribution == residual
    assert account.closing.other_contribution - account.opening.other_contribution == D("3000.00")
    # Declared and converted add up to the dividend once, not once more for the conversion.
    grown = sum((getattr(account.closing, name) - getattr(account.opening, name)
                 for name in ("other_contribution", "patronage_return", "residual_distribution")), ZERO)  # fmt: skip
    assert grown == line.total
    # What the books owe is what was not converted (never on 221/222, §15 rule 25b).
    assert account.owed["221"].closing + account.owed["222"].closing == line.total - D("3000.00")


def test_the_slip_rates_are_the_plan_s_pools_over_its_weights_rounded_half_up_exactly(session: Session) -> None:
    _, distribution = builders.example(session, "approved")
    rates = plan_rates(session, distribution)
    lines = session.scalars(select(DistributionLine).where(DistributionLine.distribution_id == distribution.id)).all()
    total_patronage = sum((line.patronage for line in lines), ZERO)
    total_weight = sum((line.residual_weight for line in lines), ZERO)
    assert (rates.total_patronage, rates.total_weight) == (total_patronage, total_weight)
    exact = Fraction(distribution.patronage_pool) / Fraction(total_patronage) * 10**RATE_PLACES
    shown, left = divmod(exact.numerator, exact.denominator)
    shown += 1 if 2 * left >= exact.denominator else 0  # half up
    assert rates.patronage_rate == Decimal(shown).scaleb(-RATE_PLACES) == D("0.5740")
    assert rates.residual_rate == ratio_half_up(distribution.residual_pool, total_weight, RATE_PLACES)
    assert rates.patronage_ratio == distribution.patronage_ratio and rates.patronage_pool == distribution.patronage_pool
    for line in lines:
        # The amounts are the largest-remainder split: within a fen of the exact share, not rate × patronage.
        share = Fraction(distribution.patronage_pool) * Fraction(line.patronage) / Fraction(total_patronage)
        assert abs(Fraction(line.patronage_return) - share) < Fraction(1, 100)
        weighted = Fraction(distribution.residual_pool) * Fraction(line.residual_weight) / Fraction(total_weight)
        assert abs(Fraction(line.residual_distribution) - weighted) < Fraction(1, 100)


def test_the_slip_says_what_is_still_owed_after_the_payment_paid_or_not(session: Session) -> None:
    cooperative, distribution = builders.example(session, "posted")
    owed = households_owed(session, distribution, dt.date(2025, 6, 30))
    line = _line(session, distribution.id, "M04")
    # Not paid yet: the books owe the dividend, and paying it leaves nothing on 221/222.
    assert owed["M04"].after["221"] == owed["M04"].after["222"] == ZERO
    assert owed["M04"].after_on == dt.date(2025, 6, 30)
    books = member_statement(session, cooperative, member_by_code(session, cooperative, "M04"),
                             dt.date(2024, 1, 1), dt.date(2024, 12, 31), as_they_stand=True)  # fmt: skip
    assert books.accounts["221"].closing == line.patronage_return > 0
    assert owed["M04"].rent_credited == ZERO  # Example 1 has no land


def test_the_slip_reads_the_guaranteed_rent_and_what_of_it_was_paid_from_the_books(demo_session: Session) -> None:
    cooperative = demo_session.scalars(select(Cooperative).where(Cooperative.credit_code == CHENLIANG)).one()
    statement = member_statement(demo_session, cooperative, member_by_code(demo_session, cooperative, "M002"),
                                 dt.date(2023, 1, 1), dt.date(2023, 12, 31))  # fmt: skip
    rent_lines = [line for line in statement.lines if "保底收益" in line.summary]
    assert sum((line.amount for line in rent_lines), ZERO) == D("3528.00")
    distribution = lookups.live_distribution(demo_session, cooperative, 2023)
    owed = households_owed(demo_session, distribution, dt.date(2026, 1, 1))
    # The demo settles 成员往来 at the year end: the rent is paid, and so are the dividends once paid.
    assert owed["M002"].rent_credited == D("3528.00") and owed["M002"].rent_paid == D("3528.00")
    assert owed["M002"].current_account_paid == statement.accounts["114"].payments
    assert owed["M002"].after_on == dt.date(2024, 4, 15)
    assert owed["M002"].after["221"] == owed["M002"].after["222"] == ZERO
    renters = [code for code, found in owed.items() if found.rent_credited]
    assert len(renters) > 50 and all(owed[code].rent_paid == owed[code].rent_credited for code in renters)
