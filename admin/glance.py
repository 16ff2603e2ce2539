"""Read-only figures for the home pages: a cooperative's year at a glance, a township's cooperatives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from coopcore.models import (
    Cooperative,
    Distribution,
    FiscalYear,
    IncomeCategory,
    IncomeExpense,
    LandShare,
    Member,
    Trade,
    VillageIncome,
)
from coopcore.money import ZERO
from coopcore.rules.findings import Finding
from coopcore.services import checks
from coopcore.services.lookups import LIVE_STATES, live_distribution_or_none
from coopcore.services.year_end import year_bounds, year_surplus

INCOME = [category for category in IncomeCategory if category.is_income]


@dataclass(frozen=True)
class Glance:
    """A cooperative's year so far."""

    cooperative: Cooperative
    year: int
    day: dt.date  # the day the figures are taken on: the year's end, or today in the current year
    members: int
    land_mu: Decimal
    trades: int
    trade_amount: Decimal
    income: Decimal
    surplus: Decimal
    distribution: Distribution | None
    findings: list[Finding]


def latest_year(session: Session, cooperative_id: int) -> int:
    """The cooperative's latest fiscal year, or this year."""
    year = session.scalar(select(func.max(FiscalYear.year)).where(FiscalYear.cooperative_id == cooperative_id))
    return year or dt.date.today().year


def glance(session: Session, cooperative: Cooperative, year: int) -> Glance:
    """Members, land shares, trades, income and surplus to date, distribution state and `coop check` findings."""
    first, last = year_bounds(year)
    day = min(last, max(first, dt.date.today()))
    members = session.scalar(
        select(func.count(Member.id)).where(
            Member.cooperative_id == cooperative.id,
            Member.joined_on <= day,
            or_(Member.left_on.is_(None), Member.left_on >= day),
        )
    )
    land_mu = session.scalar(
        select(func.sum(LandShare.area_mu))
        .join(Member, Member.id == LandShare.member_id)
        .where(Member.cooperative_id == cooperative.id, LandShare.start_on <= day, LandShare.end_on >= day)
    )
    trades, trade_amount = session.execute(
        select(func.count(Trade.id), func.sum(Trade.amount)).where(
            Trade.cooperative_id == cooperative.id, Trade.traded_on.between(first, last)
        )
    ).one()
    income = session.scalar(
        select(func.sum(IncomeExpense.amount)).where(
            IncomeExpense.cooperative_id == cooperative.id,
            IncomeExpense.recorded_on.between(first, last),
            IncomeExpense.category.in_(INCOME),
        )
    )
    return Glance(
        cooperative=cooperative,
        year=year,
        day=day,
        members=members or 0,
        land_mu=land_mu or ZERO,
        trades=trades or 0,
        trade_amount=trade_amount or ZERO,
        income=income or ZERO,
        surplus=year_surplus(session, cooperative.id, year),
        distribution=live_distribution_or_none(session, cooperative, year),
        findings=checks.check_cooperative(session, cooperative, on=day),
    )


@dataclass(frozen=True)
class CooperativeRow:
    """A township's cooperative in one line."""

    cooperative: Cooperative
    members: int
    distribution_state: str | None


def township_cooperatives(session: Session, cooperative_ids: list[int], year: int) -> list[CooperativeRow]:
    """The cooperatives, their roster size at the year's end and their distribution state: three queries."""
    _, last = year_bounds(year)
    cooperatives = session.scalars(
        select(Cooperative).where(Cooperative.id.in_(cooperative_ids)).order_by(Cooperative.name)
    ).all()
    counts = dict(
        session.execute(
            select(Member.cooperative_id, func.count(Member.id))
            .where(Member.cooperative_id.in_(cooperative_ids), Member.joined_on <= last)
            .where(or_(Member.left_on.is_(None), Member.left_on >= last))
            .group_by(Member.cooperative_id)
        ).all()
    )
    states = dict(
        session.execute(
            select(Distribution.cooperative_id, Distribution.state).where(
                Distribution.cooperative_id.in_(cooperative_ids),
                Distribution.year == year,
                Distribution.state.in_(LIVE_STATES),
            )
        ).all()
    )
    return [
        CooperativeRow(c, counts.get(c.id, 0), states[c.id].value if c.id in states else None) for c in cooperatives
    ]


def latest_income_year(session: Session) -> int:
    """The latest year villages reported income for (the dashboard's default), or last year."""
    year = session.scalar(select(func.max(VillageIncome.year)).where(VillageIncome.year <= dt.date.today().year))
    return year or dt.date.today().year - 1
