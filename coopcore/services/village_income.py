"""A village collective's income: guaranteed land rent linked into it, its 经营性收入, the weak line in force.

Cooperative dividends are linked by the distribution posting (services/distribution_posting.py, origin
distribution); land rent is linked here for the land-guarantee booking to call (origin land_guarantee). Both are
unique per (origin, source_ref), so nothing linked is ever counted twice.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue, NotFound, Term
from coopcore.models import (
    Origin,
    Village,
    VillageIncome,
    VillageIncomeCategory,
    WeakVillageThreshold,
)
from coopcore.money import decimal_places, to_decimal
from coopcore.rules import weak_village as rules
from coopcore.rules.weak_village import Threshold, ThresholdRule


def link_land_rent(
    session: Session,
    *,
    village_id: int,
    year: int,
    amount: Decimal,
    source_ref: str,
    memo: str = "",
    category: VillageIncomeCategory = VillageIncomeCategory.OPERATING,
) -> VillageIncome:
    """Record guaranteed land rent paid to a village collective as its income of a year, once per source_ref.

    Calling again with the same source_ref changes that one record (a re-booking), never adds a second. The
    default category follows §8.3 (rent-like land guarantees are 经营收入 under the 2023 rules; INFERRED); both it
    and "rent" count as 经营性收入 (§9.1).
    """
    value = to_decimal(amount)
    if value < 0 or decimal_places(value) > 2:
        raise InvalidValue("land rent must be a non-negative amount in fen, not {value}", value=amount)
    if category not in rules.COUNTED_CATEGORIES:
        raise InvalidValue("land rent counts as operating income; category {value} does not", value=category.value)
    if not 0 < len(source_ref) <= 60:
        raise InvalidValue("a link needs a reference of 1 to 60 characters, not {value!r}", value=source_ref)
    if session.get(Village, village_id) is None:
        raise NotFound(what=Term("Village"), key=village_id)
    record = session.scalar(
        select(VillageIncome).where(
            VillageIncome.origin == Origin.LAND_GUARANTEE, VillageIncome.source_ref == source_ref
        )
    )
    if record is None:
        record = VillageIncome(origin=Origin.LAND_GUARANTEE, source_ref=source_ref)
        session.add(record)
    record.village_id, record.year, record.category = village_id, year, category
    record.amount, record.memo = value, memo[:200]
    session.flush()
    return record


def unlink_land_rent(session: Session, *, source_ref: str, prefix: bool = False) -> int:
    """Remove linked land rent by its reference (or every reference starting with it); return how many."""
    match = (
        VillageIncome.source_ref.startswith(source_ref, autoescape=True)
        if prefix
        else (VillageIncome.source_ref == source_ref)
    )
    result = session.execute(
        delete(VillageIncome).where(VillageIncome.origin == Origin.LAND_GUARANTEE, match),
        execution_options={"synchronize_session": "fetch"},
    )
    return int(getattr(result, "rowcount", 0) or 0)


def operating_income(session: Session, village_id: int, year: int) -> Decimal | None:
    """Return a village's 经营性收入 of a year (§9.1), or None when nothing is recorded."""
    rows = session.execute(
        select(VillageIncome.category, func.sum(VillageIncome.amount))
        .where(VillageIncome.village_id == village_id, VillageIncome.year == year)
        .group_by(VillageIncome.category)
    ).all()
    return rules.operating_income({c.value: a for c, a in rows}) if rows else None


def threshold_in_force(session: Session, *, year: int, township_id: int) -> Threshold:
    """Return the weak line in force in a year for a township (the default of D12 when none is stored)."""
    return rules.threshold_for(threshold_rules(session, year), year=year, township_id=township_id)


def threshold_rules(session: Session, year: int) -> list[ThresholdRule]:
    """Return every stored weak line in force by a year (for rules.threshold_for to choose from)."""
    return [
        ThresholdRule(line.effective_year, line.township_id, Threshold(line.weak_below, line.shell_at))
        for line in session.scalars(select(WeakVillageThreshold).where(WeakVillageThreshold.effective_year <= year))
    ]
