"""Guaranteed rent on land shares (保底收益): computed per member and booked once as an operating cost."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.models import (
    Cooperative,
    FiscalYear,
    FiscalYearState,
    IncomeCategory,
    IncomeExpense,
    LandShare,
    Member,
    MemberKind,
    Origin,
    VillageCollective,
    VillageIncomeCategory,
)
from coopcore.money import round_half_up
from coopcore.services.ledger.register_events import INCOME_EXPENSE
from coopcore.services.ledger.sync import sync_events
from coopcore.services.village_income import link_land_rent
from coopcore.services.year_end import year_bounds


@dataclass(frozen=True)
class Guarantee:
    """A member's guaranteed rent for the year, from the mu-days their shares were active."""

    member_id: int
    member_code: str
    area_mu: Decimal
    amount: Decimal


def land_guarantees(session: Session, cooperative: Cooperative, year: int) -> list[Guarantee]:
    """Each member's HALF_UP(Σ area_mu × rent per mu × days active / days in the year), in code order."""
    first, last = year_bounds(year)
    days_in_year = (last - first).days + 1
    rows = session.execute(
        select(LandShare, Member.code)
        .join(Member, Member.id == LandShare.member_id)
        .where(Member.cooperative_id == cooperative.id, LandShare.guarantee_per_mu.is_not(None))
        .where(LandShare.start_on <= last, LandShare.end_on >= first)
    ).all()
    exact: dict[tuple[int, str], Fraction] = defaultdict(Fraction)
    area: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for share, code in rows:
        assert share.guarantee_per_mu is not None
        days = (min(share.end_on, last) - max(share.start_on, first)).days + 1
        # One rounding per member (docs/distribution.md): the exact rent of every share, summed, then half-up.
        exact[share.member_id, code] += Fraction(share.area_mu) * Fraction(share.guarantee_per_mu) * days / days_in_year
        area[share.member_id, code] += share.area_mu
    return [
        Guarantee(member_id, code, area[member_id, code], round_half_up(Decimal(value.numerator) / value.denominator))
        for (member_id, code), value in sorted(exact.items(), key=lambda item: item[0][1])
    ]


@dataclass(frozen=True)
class Booking:
    """The year's guarantees and what booking them did: expense rows added and rows whose amount changed."""

    guarantees: list[Guarantee]
    added: int
    changed: int

    @property
    def changed_nothing(self) -> bool:
        """True when every guarantee was already booked at its amount."""
        return not (self.added or self.changed)


def book_land_guarantees(session: Session, cooperative: Cooperative, year: int) -> Booking:
    """Record the year's guarantees as operating expenses, once: booking again changes nothing (view A, §7.3)."""
    closed = session.scalar(
        select(FiscalYear.id).where(
            FiscalYear.cooperative_id == cooperative.id,
            FiscalYear.year == year,
            FiscalYear.state == FiscalYearState.CLOSED,
        )
    )
    if closed is not None:
        raise PeriodClosed(cooperative=cooperative.name, year=year)
    guarantees = land_guarantees(session, cooperative, year)
    _, last = year_bounds(year)
    booked = {
        record.source: record
        for record in session.scalars(
            select(IncomeExpense).where(
                IncomeExpense.cooperative_id == cooperative.id, IncomeExpense.source.like(f"land_guarantee:{year}:%")
            )
        )
    }
    members = {m.id: m for m in session.scalars(select(Member).where(Member.cooperative_id == cooperative.id))}
    added = changed = 0
    for guarantee in guarantees:
        source = f"land_guarantee:{year}:{guarantee.member_id}"
        record = booked.get(source)
        if record is None:
            session.add(
                IncomeExpense(
                    cooperative_id=cooperative.id,
                    recorded_on=last,
                    category=IncomeCategory.OPERATING_EXPENSE,
                    amount=guarantee.amount,
                    memo=f"{year}年土地入股保底收益 {guarantee.member_code}",
                    source=source,
                    origin=Origin.LAND_GUARANTEE,
                )
            )
            added += 1
        elif record.amount != guarantee.amount:
            record.amount = guarantee.amount  # shares changed since the last booking; the year is still open
            changed += 1
        member = members[guarantee.member_id]
        if member.kind == MemberKind.VILLAGE_COLLECTIVE and member.village_collective_id is not None:
            _link_rent(session, member, year, guarantee, source)
    session.flush()
    rows = select(IncomeExpense.id).where(
        IncomeExpense.cooperative_id == cooperative.id, IncomeExpense.source.like(f"land_guarantee:{year}:%")
    )
    sync_events(session, cooperative, [INCOME_EXPENSE], {INCOME_EXPENSE.ref(row) for row in session.scalars(rows)})
    return Booking(guarantees, added, changed)


def _link_rent(session: Session, member: Member, year: int, guarantee: Guarantee, source: str) -> None:
    """Guaranteed rent paid to the village collective is its income (§8.3, §9.1), linked once per booking."""
    collective = session.get(VillageCollective, member.village_collective_id)
    assert collective is not None
    link_land_rent(
        session,
        village_id=collective.village_id,
        year=year,
        amount=guarantee.amount,
        source_ref=source,
        memo=f"{member.cooperative.name}{year}年土地保底收益",
        category=VillageIncomeCategory.RENT,
    )
