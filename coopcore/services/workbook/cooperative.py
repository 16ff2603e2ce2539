"""The cooperative format's planner: the accountants' workbook (issue #3) checked and planned against the database.

The cooperative is found by credit code, members by code, tickets by number, parcels by code and fiscal years
by year, so that importing the same or a corrected workbook again updates and never duplicates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from sqlalchemy.orm import Session

from coopcore.money import ZERO
from coopcore.services.access import Scope
from coopcore.services.workbook.apply import apply_plan
from coopcore.services.workbook.format import Planned
from coopcore.services.workbook.plan import Plan, plan_cooperative, plan_fiscal_years
from coopcore.services.workbook.plan_books import plan_books, surplus_changes
from coopcore.services.workbook.plan_land import plan_land
from coopcore.services.workbook.plan_members import plan_members
from coopcore.services.workbook.reach import check_reach
from coopcore.services.workbook.reader import Book, Progress
from coopcore.services.workbook.report import Problems
from coopcore.services.workbook.roster import check_roster
from coopcore.services.workbook.schema import MEMBERS, SHEETS
from coopcore.services.workbook.stored import Stored, load_stored
from coopcore.services.workbook.validate import check_cooperative, check_members, cooperative_row, member_dates
from coopcore.services.workbook.validate_books import check_books
from coopcore.services.year_end import year_surplus
from coopcore.validation import credit_code


def _surplus(session: Session, stored: Stored, year: int) -> Decimal:
    """本年盈余 of a year as the cooperative's books hold it now (a new cooperative has none)."""
    return year_surplus(session, stored.cooperative.id, year) if stored.cooperative is not None else ZERO


def plan_cooperative_workbook(
    session: Session, book: Book, problems: Problems, *, today: dt.date, actor: Scope
) -> Planned:
    """Check a cooperative's workbook against itself, the database, the law and the actor's reach; plan its writes.

    `today` is the day the membership rules are checked on. `actor` is who imports: each row that needs an
    administrator's rights is a blocking problem.
    """
    row = cooperative_row(book, problems)
    if row is None or not book.has(MEMBERS):
        return Planned()  # without its cooperative or roster, every other check would only echo that
    check_cooperative(row, problems)
    code = row.get("uscc")
    compact = credit_code.compact(code) if code else None
    place = (row.get("township"), row.get("village")) if row.get("township") and row.get("village") else None
    stored = load_stored(session, compact, place, set(book.sheets))
    check_members(book, row.get("founded_on"), problems)
    check_books(book, stored, member_dates(book, stored), problems)
    plan = Plan()
    plan_books(book, stored, plan, problems)
    plan_land(book, stored, plan)
    if None not in (code, row.get("name"), place, row.get("provident_fund_rate"), row.get("patronage_ratio")):
        plan_cooperative(book, row, stored, plan, problems)
    plan_members(book, stored, plan, problems)
    plan_fiscal_years(book, stored, plan, problems, now=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    check_reach(session, actor, book, row, plan, stored, problems)
    if plan.roster_complete:
        # The rules judge the whole roster: with member rows left off it they would misjudge it.
        check_roster(book, plan, stored, problems, on=today)

    def write(session: Session, progress: Progress | None) -> None:
        problems.items.extend(apply_plan(session, plan, stored, progress))  # the closes' differences: warnings

    return Planned(
        counts={sheet.key: plan.counts[sheet.key] for sheet in SHEETS if sheet.key in plan.counts},
        write=write if plan.cooperative else None,
        credit_code=compact,
        surplus=surplus_changes(stored, plan, partial(_surplus, session, stored)),
        touched=plan.touched,
    )
