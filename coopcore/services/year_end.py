"""Year-end figures read from the books: the year's surplus, the roster, balances and patronage per member."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import ScalarSelect, and_, case, func, null, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from coopcore.db.bulk import read_rows
from coopcore.errors import RuleViolation
from coopcore.models import (
    Account,
    AccountClass,
    AccountEntryKind,
    Bylaws,
    Cooperative,
    Distribution,
    DistributionState,
    FiscalYear,
    FundSource,
    LandShare,
    Member,
    MemberAccountEntry,
    SpecialFund,
    Trade,
    TradeKind,
    Voucher,
    VoucherLine,
    VoucherOrigin,
)
from coopcore.money import ZERO
from coopcore.rules.entries import year_result
from coopcore.rules.entries.accounts import SURPLUS_RESERVE
from coopcore.services.ledger.balances import COUNTED
from coopcore.services.ledger.books import voucher_name

PROFIT_AND_LOSS_CLASSES = (AccountClass.INCOME, AccountClass.EXPENSE)  # 5xx, as the chart classes them
# Entries that make up a member's 出资: contributions, surplus converted into capital, and refunds on exit.
CAPITAL_KINDS = (
    *(kind for kind in AccountEntryKind if kind.is_contribution),
    AccountEntryKind.CAPITAL_CONVERSION,
    AccountEntryKind.REFUND,  # written negative when a leaver is paid out
)


class NoBylaws(RuleViolation):
    """{cooperative} has no bylaws in force on {day}; record the provident-fund rate and patronage ratio first."""


UNPOSTED_RESULT = (
    "{cooperative} has vouchers of {year} that book income or expenses and are not posted ({vouchers}): post or "
    "delete them before the distribution is planned; the year's surplus counts only posted vouchers and those "
    "booked from business records."
)


class UnpostedResult(RuleViolation):
    """Vouchers of the year that book income or expenses are not posted."""

    def __init__(self, **fields: object) -> None:
        super().__init__(UNPOSTED_RESULT, **fields)


@dataclass(frozen=True)
class Balances:
    """A member's account balances on a day."""

    contribution: Decimal = ZERO
    provident_share: Decimal = ZERO
    subsidy_share: Decimal = ZERO
    donation_share: Decimal = ZERO


# The kinds of entry that add up to each of Balances' fields, in its order.
_KINDS_OF_BALANCE = (
    CAPITAL_KINDS,
    (AccountEntryKind.PROVIDENT_SHARE,),
    (AccountEntryKind.SUBSIDY_SHARE,),
    (AccountEntryKind.DONATION_SHARE,),
)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year (the calendar year, [KJ 第六条])."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# Which vouchers count is COUNTED (coopcore.services.ledger.balances): posted ones, and those booked from business
# records posted or not. The close carries profit and loss into 331 (and its 反结账 reverses that, same origin):
# neither is the year's result.
NOT_THE_CLOSE = Voucher.origin != VoucherOrigin.YEAR_END


def year_surplus(session: Session, cooperative_id: int, year: int) -> Decimal:
    """本年盈余 from the cooperative's books: the year's profit and loss (coopcore.rules.entries.year_result)."""
    rows = session.execute(
        select(Account.code, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, Account.id == VoucherLine.account_id)
        .where(VoucherLine.cooperative_id == cooperative_id, VoucherLine.year == year, COUNTED, NOT_THE_CLOSE)
        .group_by(Account.code)
    )
    return year_result({code: (debit or ZERO) - (credit or ZERO) for code, debit, credit in rows})


def surplus_reserve(session: Session, cooperative_id: int, day: dt.date) -> Decimal:
    """What 盈余公积 (322 and its detail accounts) holds on a day, in credit, counting vouchers as year_surplus does."""
    debit, credit = session.execute(
        select(func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, Account.id == VoucherLine.account_id)
        .where(VoucherLine.cooperative_id == cooperative_id, Voucher.voucher_date <= day, COUNTED)
        .where(Account.code.startswith(SURPLUS_RESERVE))
    ).one()
    return (credit or ZERO) - (debit or ZERO)


def require_posted_result(session: Session, cooperative: Cooperative, year: int) -> None:
    """Refuse while vouchers typed or imported for the year book profit and loss unposted (UnpostedResult).

    year_surplus leaves them out; a distribution planned without them would be planned on another surplus than
    the one the books will show, without anyone being told.
    """
    pending = session.scalars(
        select(Voucher)
        .where(Voucher.cooperative_id == cooperative.id, Voucher.year == year, ~COUNTED, NOT_THE_CLOSE)
        .where(
            Voucher.id.in_(
                select(VoucherLine.voucher_id)
                .join(Account, Account.id == VoucherLine.account_id)
                .where(VoucherLine.cooperative_id == cooperative.id, VoucherLine.year == year)
                .where(Account.account_class.in_(PROFIT_AND_LOSS_CLASSES))
            )
        )
        .order_by(Voucher.month, Voucher.number)
    ).all()
    if pending:
        names = "、".join(voucher_name(voucher) for voucher in pending[:5]) + ("…" if len(pending) > 5 else "")
        raise UnpostedResult(cooperative=cooperative.name, year=year, vouchers=names)


def bylaws_in_force(session: Session, cooperative: Cooperative, day: dt.date) -> Bylaws:
    """Return the bylaws in force on a day, or refuse."""
    bylaws = session.scalar(
        select(Bylaws)
        .where(Bylaws.cooperative_id == cooperative.id, Bylaws.effective_on <= day)
        .order_by(Bylaws.effective_on.desc())
        .limit(1)
    )
    if bylaws is None:
        raise NoBylaws(cooperative=cooperative.name, day=day.isoformat())
    return bylaws


def opening_undistributed(session: Session, cooperative_id: int, year: int) -> Decimal:
    """The year's opening 未分配盈余: last year's posted distribution if any, else the recorded carry-forward."""

    def last_year(column: InstrumentedAttribute[Decimal]) -> ScalarSelect[Decimal]:
        return (
            select(column)
            .where(Distribution.cooperative_id == cooperative_id, Distribution.year == year - 1)
            .where(Distribution.state.in_([DistributionState.POSTED, DistributionState.PAID]))
            .limit(1)
            .scalar_subquery()
        )

    recorded = select(FiscalYear.opening_undistributed).where(
        FiscalYear.cooperative_id == cooperative_id, FiscalYear.year == year
    )
    # One statement for both answers: a township's plans are many small ones, where each round trip counts.
    retained, carried, opening = session.execute(
        select(
            last_year(Distribution.retained_from_prior_years),
            last_year(Distribution.carried_loss),
            recorded.scalar_subquery(),
        )
    ).one()
    if retained is not None:
        return retained - carried
    return opening if opening is not None else ZERO


class RosterEntry(NamedTuple):
    """A member on the roster, with just what the year end needs."""

    id: int
    code: str
    additional_votes: int


def roster(session: Session, cooperative_id: int, day: dt.date) -> list[RosterEntry]:
    """Members on the roster on a day; a member leaving at year end is still on it on 31 December ([L-25])."""
    rows = read_rows(
        session,
        select(Member.id, Member.code, Member.additional_votes)
        .where(Member.cooperative_id == cooperative_id, Member.joined_on <= day)
        .where(or_(Member.left_on.is_(None), Member.left_on >= day))
        .order_by(Member.code),
    )
    return list(map(RosterEntry._make, rows))


def balances(
    session: Session, cooperative_id: int, day: dt.date, *, kinds: Collection[AccountEntryKind] | None = None
) -> dict[int, Balances]:
    """Every member's account balances on a day, in one grouped query; of some kinds of entry only if asked
    (the other balances are then zero)."""
    counted = [kind for field in _KINDS_OF_BALANCE for kind in field if kinds is None or kind in kinds]
    # One row per member, its four sums pivoted by the server: a roster of 20,000 read as a row per member and kind
    # made as many enums and lists in Python. Only members with an entry of a counted kind come back, as before.
    entry = MemberAccountEntry
    contribution, provident, subsidy, donation = (
        func.sum(case((entry.kind.in_(field), entry.amount))) for field in _KINDS_OF_BALANCE
    )
    rows = read_rows(
        session,
        select(entry.member_id, contribution, provident, subsidy, donation)
        .join(Member, Member.id == entry.member_id)
        .where(Member.cooperative_id == cooperative_id, entry.entry_on <= day, entry.kind.in_(counted))
        .group_by(entry.member_id),
    )
    return {member_id: Balances(*(total or ZERO for total in totals)) for member_id, *totals in rows}


def trade_totals(
    session: Session, cooperative_id: int, year: int, *, quantity: bool = True
) -> dict[int, tuple[Decimal, Decimal]]:
    """Each member's (amount, quantity of produce) of business with the cooperative in the year ([L-43]).

    With quantity=False the quantities are not summed (they come back as zero): the sum of a CASE over every
    trade costs half as much again as the amounts alone, and only the quantity patronage measure needs it.
    """
    first, last = year_bounds(year)
    produce = Trade.kind.in_([TradeKind.INTAKE, TradeKind.SALE])
    # Quantities of fertiliser and of apples do not add up; only produce counts as quantity.
    quantities = func.sum(case((produce, Trade.quantity))) if quantity else null()
    rows = read_rows(
        session,
        select(Trade.member_id, func.sum(Trade.amount), quantities)
        .where(Trade.cooperative_id == cooperative_id, Trade.member_id.is_not(None))
        .where(Trade.traded_on.between(first, last))
        .group_by(Trade.member_id),
    )
    return {member_id: (amount or ZERO, total or ZERO) for member_id, amount, total in rows if member_id}


def produce_units(session: Session, cooperative_id: int, year: int) -> list[str]:
    """The units of the members' produce traded in the year, which the quantity patronage measure counts in."""
    first, last = year_bounds(year)
    return list(
        session.scalars(
            select(Trade.unit)
            .where(Trade.cooperative_id == cooperative_id, Trade.member_id.is_not(None))
            .where(Trade.kind.in_([TradeKind.INTAKE, TradeKind.SALE]), Trade.traded_on.between(first, last))
            .distinct()
            .order_by(Trade.unit)
        )
    )


def land_mu_days(session: Session, cooperative_id: int, year: int) -> dict[int, Decimal]:
    """Each member's land shares in mu × days active in the year (the mu patronage measure, §7.3)."""
    first, last = year_bounds(year)
    shares = session.scalars(
        select(LandShare)
        .join(Member, Member.id == LandShare.member_id)
        .where(Member.cooperative_id == cooperative_id, and_(LandShare.start_on <= last, LandShare.end_on >= first))
    ).all()
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for share in shares:
        days = (min(share.end_on, last) - max(share.start_on, first)).days + 1
        totals[share.member_id] += share.area_mu * days
    return dict(totals)


def property_held(session: Session, cooperative_id: int, day: dt.date) -> dict[FundSource, Decimal]:
    """Subsidy- and donation-formed property held on a day ([L-44] quantifies it to members)."""
    rows = session.execute(
        select(SpecialFund.source, func.sum(SpecialFund.amount))
        .where(SpecialFund.cooperative_id == cooperative_id, SpecialFund.received_on <= day)
        .where(or_(SpecialFund.disposed_on.is_(None), SpecialFund.disposed_on > day))
        .group_by(SpecialFund.source)
    ).all()
    held = {source: ZERO for source in FundSource}
    held.update({source: total for source, total in rows})
    return held
