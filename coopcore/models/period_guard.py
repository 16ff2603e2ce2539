"""Closed years stay closed: refuse any change to a dated record that falls in a closed fiscal year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, inspect, select, tuple_
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.models.cooperative import Cooperative, FiscalYear
from coopcore.models.enums import FiscalYearState
from coopcore.models.finance import IncomeExpense, SpecialFund
from coopcore.models.member import Member, MemberAccountEntry
from coopcore.models.trade import Trade

# The date that places each kind of record in a fiscal year. Bulk statements bypass the ORM, so
# services that write in bulk (the workbook import) check closed years themselves.
DATED = {Trade: "traded_on", IncomeExpense: "recorded_on", SpecialFund: "received_on", MemberAccountEntry: "entry_on"}


def _cooperative_id(session: Session, record: Any) -> int | None:
    if not isinstance(record, MemberAccountEntry):
        return record.cooperative_id  # type: ignore[no-any-return]
    member = record.member if record.member is not None else session.get(Member, record.member_id)
    return member.cooperative_id if member is not None else None


def _touched_years(session: Session) -> set[tuple[int, int]]:
    touched: set[tuple[int, int]] = set()
    for record in (*session.new, *session.dirty, *session.deleted):
        attribute = DATED.get(type(record))
        if attribute is None or (record in session.dirty and not session.is_modified(record)):
            continue
        history = inspect(record).attrs[attribute].history
        days: list[dt.date] = [day for day in (*history.added, *history.unchanged, *history.deleted) if day]
        cooperative_id = _cooperative_id(session, record)
        if cooperative_id is not None:
            touched.update((cooperative_id, day.year) for day in days)
    return touched


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
