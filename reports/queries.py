"""Read-only queries the reports need beyond coopcore's services: plan lines with names, page by page, and sums.

Nothing here writes or flushes. Lines are read as plain rows (not ORM objects) in pages of PAGE_SIZE by member
code, so a cooperative of 2,000 members never sits in memory or in the session at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from coopcore.models import (
    Bylaws,
    Cooperative,
    Distribution,
    DistributionLine,
    Member,
    MemberKind,
    PaymentMethod,
    Product,
    Township,
    Trade,
)
from coopcore.money import ZERO
from coopcore.rules.plan_review import LineSums
from coopcore.services.lookups import LIVE_STATES
from coopcore.services.plan_review import line_sums
from coopcore.services.year_end import NoBylaws, bylaws_in_force, year_bounds

PAGE_SIZE = 200  # rows held at a time: with the PDF parts, what bounds a report's memory (bench/README.md)


@dataclass(frozen=True)
class PlanLine:
    """One member's line of a distribution, with the member's name and kind."""

    code: str
    name: str
    kind: MemberKind
    household_head: str | None
    patronage: Decimal
    transaction_amount: Decimal
    contribution: Decimal
    provident_share_opening: Decimal
    provident_share_added: Decimal
    subsidy_share: Decimal
    donation_share: Decimal
    residual_weight: Decimal
    patronage_return: Decimal
    residual_distribution: Decimal
    paid_on: dt.date | None
    payment_method: PaymentMethod | None
    converted: Decimal = ZERO  # into contribution by the assembly with the plan (§15 rule 25b)

    @property
    def total(self) -> Decimal:
        """The member's dividend (分红)."""
        return self.patronage_return + self.residual_distribution

    @property
    def payable(self) -> Decimal:
        """What is left to pay (or to convert later) once the assembly's conversion is taken out."""
        return self.total - self.converted

    @property
    def provident_share(self) -> Decimal:
        """公积金份额 after this year's quantification."""
        return self.provident_share_opening + self.provident_share_added


@dataclass(frozen=True)
class KindTotals:
    """Members of one kind and what the distribution gives them together."""

    kind: MemberKind
    members: int
    patronage_return: Decimal
    residual_distribution: Decimal

    @property
    def total(self) -> Decimal:
        return self.patronage_return + self.residual_distribution


@dataclass(frozen=True)
class PlanSums:
    """A distribution's lines summed in the database: the totals the review checks, by member kind, converted."""

    lines: LineSums
    converted: Decimal  # paid by conversion into contributions
    by_kind: tuple[KindTotals, ...]


def bylaws_of(session: Session, cooperative: Cooperative, year: int) -> Bylaws | None:
    """The bylaws in force at the year end (their date and resolution), if any are recorded."""
    try:
        return bylaws_in_force(session, cooperative, year_bounds(year)[1])
    except NoBylaws:
        return None


def plan_lines(session: Session, distribution_id: int, *, page_size: int = PAGE_SIZE) -> Iterator[PlanLine]:
    """Yield the lines of a distribution in member-code order, one page of rows at a time."""
    last_code = ""
    while True:
        rows = session.execute(
            select(
                DistributionLine.member_code.label("code"),
                Member.name,
                Member.kind,
                Member.household_head,
                DistributionLine.patronage,
                DistributionLine.transaction_amount,
                DistributionLine.contribution,
                DistributionLine.provident_share_opening,
                DistributionLine.provident_share_added,
                DistributionLine.subsidy_share,
                DistributionLine.donation_share,
                DistributionLine.residual_weight,
                DistributionLine.patronage_return,
                DistributionLine.residual_distribution,
                DistributionLine.paid_on,
                DistributionLine.payment_method,
                DistributionLine.converted,
            )
            .join(Member, Member.id == DistributionLine.member_id)
            .where(DistributionLine.distribution_id == distribution_id, DistributionLine.member_code > last_code)
            .order_by(DistributionLine.member_code)
            .limit(page_size)
        ).all()
        for row in rows:
            yield PlanLine(**row._asdict())
        if len(rows) < page_size:
            return
        last_code = rows[-1][0]


def plan_sums(session: Session, distribution: Distribution) -> PlanSums:
    """Sum the lines of a distribution, in all and by member kind, in the database."""
    line = DistributionLine
    rows = session.execute(
        select(Member.kind, func.count(), func.sum(line.patronage_return), func.sum(line.residual_distribution))
        .join(Member, Member.id == line.member_id)
        .where(line.distribution_id == distribution.id)
        .group_by(Member.kind)
    ).all()
    by_kind = tuple(
        sorted((KindTotals(kind, count, p or ZERO, r or ZERO) for kind, count, p, r in rows), key=lambda k: -k.total)
    )
    converted = session.execute(
        select(func.sum(line.patronage_return), func.sum(line.residual_distribution), func.sum(line.converted)).where(
            line.distribution_id == distribution.id, line.payment_method == PaymentMethod.CAPITAL
        )
    ).one()
    return PlanSums(
        # Converted when paid (rule 25a): what lines 17-18 declared; converted with the plan (25b) is line 19.
        lines=line_sums(session, distribution),
        converted=(converted[0] or ZERO) + (converted[1] or ZERO) - (converted[2] or ZERO),
        by_kind=by_kind,
    )


def largest_recipients(session: Session, distribution_id: int, count: int = 12) -> list[tuple[str, Decimal, Decimal]]:
    """The members with the largest dividends: (code and name, patronage return, residual distribution)."""
    line = DistributionLine
    rows = session.execute(
        select(line.member_code, Member.name, line.patronage_return, line.residual_distribution)
        .join(Member, Member.id == line.member_id)
        .where(line.distribution_id == distribution_id)
        .order_by((line.patronage_return + line.residual_distribution).desc(), line.member_code)
        .limit(count)
    ).all()
    return [(f"{code} {name}", patronage, residual) for code, name, patronage, residual in rows]


def _in_year(cooperative_id: int, year: int) -> ColumnElement[bool]:
    """Members on the roster at some time in the year."""
    first, last = year_bounds(year)
    return and_(
        Member.cooperative_id == cooperative_id,
        Member.joined_on <= last,
        or_(Member.left_on.is_(None), Member.left_on >= first),
    )


def count_account_members(session: Session, cooperative_id: int, year: int) -> int:
    """How many members have an account to print for the year."""
    return session.scalar(select(func.count()).select_from(Member).where(_in_year(cooperative_id, year))) or 0


def account_members(
    session: Session, cooperative_id: int, year: int, *, page_size: int = PAGE_SIZE
) -> Iterator[Member]:
    """Yield the members on the roster at any time in the year, by code, one page at a time."""
    last_code = ""
    while True:
        members = session.scalars(
            select(Member)
            .where(_in_year(cooperative_id, year), Member.code > last_code)
            .order_by(Member.code)
            .limit(page_size)
        ).all()
        yield from members
        if len(members) < page_size:
            return
        last_code = members[-1].code


def product_units(session: Session, cooperative_id: int, year: int) -> dict[str, str]:
    """The unit each product was traded in during the year (the most used one), by product name."""
    first, last = year_bounds(year)
    rows = session.execute(
        select(Product.name, Trade.unit, func.count())
        .join(Product, Product.id == Trade.product_id)
        .where(Trade.cooperative_id == cooperative_id, Trade.traded_on.between(first, last))
        .group_by(Product.name, Trade.unit)
        .order_by(Product.name, func.count().desc())
    ).all()
    units: dict[str, str] = {}
    for product, unit, _ in rows:
        units.setdefault(product, unit or "")
    return units


def cooperatives_with_plans(session: Session, year: int) -> list[Cooperative]:
    """Cooperatives that have a live distribution (draft to paid) for the year, by name."""
    live = select(Distribution.cooperative_id).where(Distribution.year == year, Distribution.state.in_(LIVE_STATES))
    return list(session.scalars(select(Cooperative).where(Cooperative.id.in_(live)).order_by(Cooperative.name)))


def township_names(session: Session) -> list[str]:
    """Every township's name, in the order they were recorded."""
    return list(session.scalars(select(Township.name).order_by(Township.id)))
