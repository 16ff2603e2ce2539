"""What a dividend slip (分红明细单) explains beside the member's line: the plan's rates per unit of patronage and
of residual weight, the year's guaranteed land rent and what of it was paid, and what the cooperative still owes
the household once this dividend is paid, read from the plan and from the books as they stand
(coopcore.services.ledger.owed: vouchers booked from business records count before the month's close).

The rates explain; they do not compute. Each member's amounts come from the plan's largest-remainder split
(coopcore.money.allocate), so rate × patronage can differ from the amount by up to a fen and more once the rate is
rounded for print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Distribution, DistributionLine, DistributionState
from coopcore.money import ZERO, ratio_half_up
from coopcore.rules.entries import net_of_conversion
from coopcore.rules.entries.accounts import MEMBER_ACCOUNTS, RESIDUAL_PAYABLE, RETURNS_PAYABLE
from coopcore.rules.payouts import open_credits
from coopcore.services.ledger.owed import OWED_ACCOUNTS, MemberStatement, member_statements
from coopcore.services.payouts.items import credit_movements
from coopcore.services.year_end import year_bounds
from coopcore.terms import OwedMovement, PayoutKind

RATE_PLACES = 4  # the rates a slip prints, rounded half up (四舍五入)
BOOKED = (DistributionState.POSTED, DistributionState.PAID)  # 221/222 hold the plan's returns


@dataclass(frozen=True)
class PlanRates:
    """The pools, what they are split over, and the rate per unit, to RATE_PLACES (None where nothing is split)."""

    patronage_pool: Decimal
    patronage_ratio: Decimal  # the bylaws' share of distributable surplus returned by patronage
    distributable: Decimal
    total_patronage: Decimal  # the members' patronage summed, in the distribution's patronage measure
    patronage_rate: Decimal | None
    residual_pool: Decimal
    total_weight: Decimal  # contributions, provident-fund and quantified shares summed (the residual's weight)
    residual_rate: Decimal | None


def plan_rates(session: Session, distribution: Distribution) -> PlanRates:
    """The return per unit of patronage and the residual per yuan of weight of a stored plan."""
    patronage, weight = session.execute(
        select(func.sum(DistributionLine.patronage), func.sum(DistributionLine.residual_weight)).where(
            DistributionLine.distribution_id == distribution.id
        )
    ).one()
    patronage, weight = patronage or ZERO, weight or ZERO
    return PlanRates(
        patronage_pool=distribution.patronage_pool,
        patronage_ratio=distribution.patronage_ratio,
        distributable=distribution.distributable,
        total_patronage=patronage,
        patronage_rate=ratio_half_up(distribution.patronage_pool, patronage, RATE_PLACES) if patronage > 0 else None,
        residual_pool=distribution.residual_pool,
        total_weight=weight,
        residual_rate=ratio_half_up(distribution.residual_pool, weight, RATE_PLACES) if weight > 0 else None,
    )


@dataclass(frozen=True)
class HouseholdOwed:
    """A household's rent of the year and what the books owe it once the slip's dividend is paid."""

    rent_credited: Decimal  # the year's guaranteed rent the books credit it on 114
    rent_paid: Decimal  # of it, paid by the year end: what 114's debits took of it, oldest credits first
    current_account_paid: Decimal  # what 成员往来 (114) paid it in the year, produce and rent together
    after_on: dt.date  # the day of the payment, or the day asked for one not paid yet
    after: dict[str, Decimal] = field(default_factory=dict)  # by account: owed once this dividend is paid

    @property
    def total_after(self) -> Decimal:
        return sum(self.after.values(), ZERO)


def households_owed(session: Session, distribution: Distribution, today: dt.date) -> dict[str, HouseholdOwed]:
    """Every member's HouseholdOwed for the distribution's slips, by member code: a few queries for all of them."""
    cooperative = distribution.cooperative
    first, last = year_bounds(distribution.year)
    lines = session.execute(
        select(DistributionLine.member_id, DistributionLine.member_code, DistributionLine.patronage_return,
               DistributionLine.residual_distribution, DistributionLine.converted, DistributionLine.paid_on)
        .where(DistributionLine.distribution_id == distribution.id)
    ).all()  # fmt: skip
    year = {found.code: found for found in member_statements(session, cooperative, first, last, as_they_stand=True)}
    until = max([today, *(line.paid_on for line in lines if line.paid_on is not None)])
    later: dict[str, MemberStatement] = {}
    if until > last:
        later = {
            found.code: found
            for found in member_statements(session, cooperative, last + dt.timedelta(1), until, as_they_stand=True)
        }
    # 成员往来 (114) at the year end, each credit named rent or produce: what its debits left of each kind, oldest
    # first (coopcore.rules.payouts, the rule payment runs pay by).
    movements = credit_movements(session, cooperative, last, {line.member_id for line in lines})
    booked = distribution.state in BOOKED
    found: dict[str, HouseholdOwed] = {}
    for member_id, code, returned, residual, converted, paid_on in lines:
        in_year = year.get(code)
        closing = {account: in_year.accounts[account].closing if in_year else ZERO for account in OWED_ACCOUNTS}
        moved = movements.get(member_id, [])
        rent = sum((m.change for m in moved if m.kind is PayoutKind.RENT and m.change > 0 and m.on >= first), ZERO)
        rent_open = open_credits(moved).get(PayoutKind.RENT, ZERO)
        on = max(paid_on or today, last)
        after = dict(closing)
        paid_in_books = False
        if code in later:
            for line in later[code].lines:
                if line.day <= on:
                    after[line.account] += line.change
                paid_in_books |= (
                    paid_on is not None
                    and line.day == paid_on
                    and line.account in (RETURNS_PAYABLE, RESIDUAL_PAYABLE)
                    and line.movement is not OwedMovement.CREDIT
                )
        if booked and not paid_in_books:
            # Not paid in the books yet (or not paid at all): what paying it takes off 221 and 222. What the
            # assembly converted with the plan never was on them (§15 rule 25b).
            off_returns, off_residual = net_of_conversion(returned, residual, converted)
            after[RETURNS_PAYABLE] -= off_returns
            after[RESIDUAL_PAYABLE] -= off_residual
        found[code] = HouseholdOwed(
            rent_credited=rent,
            rent_paid=rent - min(rent, rent_open),  # the year's rent is the newest: what is open is it first
            current_account_paid=in_year.accounts[MEMBER_ACCOUNTS].payments if in_year else ZERO,
            after_on=on,
            after=after,
        )
    return found
