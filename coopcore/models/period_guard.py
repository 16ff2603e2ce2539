"""Closed years stay closed: refuse any change to a dated record that falls in a closed fiscal year."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, extract, inspect, select, tuple_
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.models.cooperative import Cooperative, FiscalYear
from coopcore.models.finance import IncomeExpense, SpecialFund, SpecialPayable
from coopcore.models.member import Member, MemberAccountEntry
from coopcore.models.trade import Trade
from coopcore.terms import FiscalYearState

# The date that places each kind of record in a fiscal year. Bulk statements bypass the ORM; the database's
# triggers (migration "closed years in the database") hold the same rule for them, this guard says it first.
DATED = {
    Trade: "traded_on",
    IncomeExpense: "recorded_on",
    SpecialFund: "received_on",
    SpecialPayable: "moved_on",
    MemberAccountEntry: "entry_on",
}


def _old_and_new(record: Any, attribute: str) -> tuple[Any, Any]:
    """The value as stored (None for a new record) and as it will be saved (None for a deleted one)."""
    history = inspect(record).attrs[attribute].history
    if not (history.added or history.unchanged or history.deleted):
        value = getattr(record, attribute)  # expired: load it
        return value, value
    new = (history.added or history.unchanged or [None])[0]
    old = (history.deleted or history.unchanged or [None])[0]
    return old, new


def _cooperative_ids(session: Session, record: Any) -> tuple[int | None, int | None]:
    if not isinstance(record, MemberAccountEntry):
        return _old_and_new(record, "cooperative_id")
    member = record.member if record.member is not None else session.get(Member, record.member_id)
    cooperative_id = member.cooperative_id if member is not None else None
    return cooperative_id, cooperative_id  # entries are append-only: they never change member


def _touched_years(session: Session) -> set[tuple[int, int]]:
    """(cooperative, year) of every dated record the flush writes: the old owner and date as well as the new."""
    touched: set[tuple[int, int]] = set()
    with session.no_autoflush:
        for record in (*session.new, *session.dirty, *session.deleted):
            attribute = DATED.get(type(record))
            if attribute is not None and (record not in session.dirty or session.is_modified(record)):
                owners, days = _cooperative_ids(session, record), _old_and_new(record, attribute)
                stored, saved = (owners[0], days[0]), (owners[1], days[1])
                pairs = [saved] if record in session.new else [stored] if record in session.deleted else [stored, saved]
                touched.update((owner, day.year) for owner, day in pairs if owner is not None and day is not None)
            elif isinstance(record, Member) and record in session.dirty:
                touched |= _moved_member_years(session, record)
    return touched


def _moved_member_years(session: Session, member: Member) -> set[tuple[int, int]]:
    """A member moved to another cooperative takes its account entries along: both owners' years count."""
    old_owner, new_owner = _old_and_new(member, "cooperative_id")
    if old_owner == new_owner or member.id is None:
        return set()
    years = session.scalars(
        select(extract("year", MemberAccountEntry.entry_on)).where(MemberAccountEntry.member_id == member.id).distinct()
    ).all()
    return {(owner, int(year)) for owner in (old_owner, new_owner) if owner is not None for year in years}


@event.listens_for(Session, "before_flush")
def _refuse_changes_in_closed_years(session: Session, flush_context: Any, instances: Any) -> None:
    touched = _touched_years(session)
    if not touched:
        return
    with session.no_autoflush:
        closed = session.execute(
            select(Cooperative.name, FiscalYear.year)
            .join(FiscalYear, FiscalYear.cooperative_id == Cooperative.id)
            .where(FiscalYear.state == FiscalYearState.CLOSED)
            .where(tuple_(FiscalYear.cooperative_id, FiscalYear.year).in_(sorted(touched)))
        ).first()
    if closed is not None:
        raise PeriodClosed(cooperative=closed.name, year=closed.year)
