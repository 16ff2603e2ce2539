"""What an import will write, decided before writing: rows to insert, update or remove, by natural key.

The cooperative is found by credit code, members by code, fiscal years by year; refusals for closed
fiscal years are made here, so that a blocked import has written nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from coopcore.models import (
    FiscalYearState,
    LandGuaranteeTreatment,
    Origin,
    PatronageMeasure,
    ProvidentBasis,
    TradeModel,
)
from coopcore.services.workbook.format import Sheet
from coopcore.services.workbook.newer import Touched
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems, SheetCounts
from coopcore.services.workbook.schema import COOPERATIVE, FISCAL_YEARS, MEMBERS, ORIGINS
from coopcore.services.workbook.stored import Record, Stored
from coopcore.validation import credit_code

CLOSED_YEAR = "This row is dated in {year}, a closed fiscal year: its records can no longer change."
CLOSED_REMOVAL = (
    "{value} ({day}) is no longer in the workbook, but {year} is a closed fiscal year and its records cannot "
    "change: put the row back."
)
REOPEN = (
    "Fiscal year {year} is closed and stays closed: an import never reopens a year (reverse its distribution to "
    "reopen it)."
)
BRANCH_TAKEN = (
    "No party branch is called {value}, and {village} already has the branch {existing}: write that name, "
    "or the exact name of the leading branch."
)
BOOKED_ROW = (
    "This row is marked {value}, and no such booking has these values: an import neither creates nor changes "
    "what a service booked. Put back the exported values, or delete the row (the booking stays)."
)
TYPED_ROW = (
    "This row is marked {value}, but no row typed by hand has these values: it is imported as a workbook row. "
    "A row typed by hand that it replaces stays: change or delete that one in the admin."
)
OWNED_TICKET = (
    "Ticket {value} is marked {origin} in the database: an import does not change it. Put back its stored "
    "values, or change it where it was written."
)
TEMPLATES = (CLOSED_YEAR, CLOSED_REMOVAL, BRANCH_TAKEN, REOPEN, BOOKED_ROW, TYPED_ROW, OWNED_TICKET)
WORKBOOK = Origin.WORKBOOK.value
K = TypeVar("K", bound=Hashable)


@dataclass
class Changes:
    """Rows of one table to insert, update (each with its id) and delete (by id)."""

    inserts: list[Record] = field(default_factory=list)
    updates: list[Record] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)


@dataclass
class Plan:
    """Everything an import writes; member and product references are by code and name until written."""

    cooperative: Record = field(default_factory=dict)
    bylaws: Record = field(default_factory=dict)
    members: Changes = field(default_factory=Changes)
    roster: dict[str, Record] = field(default_factory=dict)  # every member after the import, by code
    new_collective: tuple[str, str] | None = None  # credit code and name
    entries: Changes = field(default_factory=Changes)
    trades: Changes = field(default_factory=Changes)
    new_products: dict[str, str] = field(default_factory=dict)  # name → unit
    income: Changes = field(default_factory=Changes)
    funds: Changes = field(default_factory=Changes)
    payables: Changes = field(default_factory=Changes)
    fiscal_years: Changes = field(default_factory=Changes)
    parcels: Changes = field(default_factory=Changes)
    shares: Changes = field(default_factory=Changes)
    counts: dict[str, SheetCounts] = field(default_factory=lambda: defaultdict(SheetCounts))
    data_years: set[int] = field(default_factory=set)  # years of the dated records of the workbook
    touched: list[Touched] = field(default_factory=list)  # stored rows removed or changed: checked for newer ones
    roster_complete: bool = True  # False if a member row was too broken to place on the roster


def usable(rows: Iterable[Row], *keys: str) -> list[Row]:
    """Return the rows whose listed values were all given and readable."""
    return [row for row in rows if all(row.get(key) is not None for key in keys)]


def given(book: Book, sheet: Sheet, row: Row, key: str, stored: Record | None, default: Any) -> Any:
    """Return a field's new value: the cell if the column exists, else the stored value (or the default)."""
    if book.has(sheet, key):
        value = row.get(key)
        return default if value is None else value
    return stored.get(key, default) if stored else default


def match(rows: Iterable[tuple[K, Row]], records: Iterable[tuple[K, Record]]) -> tuple[list[Row], int, list[Record]]:
    """Pair rows with stored records of equal content: (rows to insert, unchanged, records left over)."""
    pool: dict[K, list[Record]] = defaultdict(list)
    for key, record in records:
        pool[key].append(record)
    new: list[Row] = []
    unchanged = 0
    for key, row in rows:
        candidates = pool.get(key)
        if candidates:
            candidates.pop()
            unchanged += 1
        else:
            new.append(row)
    return new, unchanged, [record for records in pool.values() for record in records]


def origin_label(value: object) -> object:
    """Return an origin as the workbook writes it (工作簿, 手工, 系统记账：…), a labelled message field."""
    return next((choice for choice in ORIGINS if choice.value == str(value)), value)


def is_own(record: Record) -> bool:
    """True for a stored row that came from a workbook: the only rows an import may change or remove."""
    return str(record["origin"]) == WORKBOOK


def match_owned(
    sheet: Sheet,
    rows: Iterable[Row],
    row_key: Callable[[Row], K],
    records: Iterable[tuple[K, Record]],
    problems: Problems,
    *,
    marks: bool = True,
) -> tuple[list[Row], int, list[Record]]:
    """Pair rows with stored records by origin: (rows to insert, unchanged, workbook records left over).

    Unmarked rows pair first with the workbook's records, then with equal records another path wrote (kept as
    they are); a row marked 手工 or 系统记账 pairs only with a record of that origin. Only workbook records
    are left over for removal: what the admin or a service wrote is never removed by a workbook lacking it.
    Without `marks` (a cooperative new to this database, say exported from another one) every row is the
    workbook's own: there is nothing here that another path wrote.
    """
    own: list[tuple[K, Record]] = []
    others: dict[int, tuple[K, Record]] = {}
    for key, record in records:
        if is_own(record):
            own.append((key, record))
        else:
            others[record["id"]] = (key, record)
    plain = [row for row in rows if not marks or row.get("origin") in (None, WORKBOOK)]
    marked = [
        ((row.get("origin"), row_key(row)), row) for row in rows if marks and row.get("origin") not in (None, WORKBOOK)
    ]
    strays, unchanged, rest = match(marked, [((str(r["origin"]), k), r) for k, r in others.values()])
    for row in strays:
        where = {"sheet": sheet, "row": row.number, "column": sheet.column("origin")}
        if Origin(row.get("origin")).is_service:
            problems.error(BOOKED_ROW, **where, value=origin_label(row.get("origin")))
        else:
            problems.warning(TYPED_ROW, **where, value=origin_label(row.get("origin")))
            plain.append(row)
    new, unchanged_own, left = match([(row_key(row), row) for row in plain], own)
    new, unchanged_other, _ = match([(row_key(row), row) for row in new], [others[r["id"]] for r in rest])
    return new, unchanged + unchanged_own + unchanged_other, left


def closed(problems: Problems, stored: Stored, sheet: Sheet, row: Row | None, *days: dt.date | None) -> bool:
    """Refuse a change dated in a closed fiscal year; True if refused."""
    years = sorted({day.year for day in days if day is not None} & stored.closed_years)
    if years and row is not None:
        column = sheet.by_key.get("date") or sheet.columns[0]
        problems.error(
            CLOSED_YEAR, sheet=sheet, row=row.number, column=column, value=row.get(column.key), year=years[0]
        )
    return bool(years)


def refuse_closed_removal(problems: Problems, stored: Stored, sheet: Sheet, label: str, day: dt.date) -> bool:
    """Refuse removing a stored row of a closed year; True if refused."""
    if day.year in stored.closed_years:
        problems.error(CLOSED_REMOVAL, sheet=sheet, value=label, day=day, year=day.year)
        return True
    return False


def plan_cooperative(book: Book, row: Row, stored: Stored, plan: Plan, problems: Problems) -> None:
    """Decide the cooperative's fields and its bylaws version (by effective date)."""
    cooperative = stored.cooperative
    old: Record = {}
    if cooperative is not None:
        old = {
            "name": cooperative.name,
            "credit_code": cooperative.credit_code,
            "township": cooperative.village.township.name,
            "village": cooperative.village.name,
            "party_branch": cooperative.party_branch.name if cooperative.party_branch else None,
            "founded_on": cooperative.founded_on,
            "business_type": cooperative.business_type,
            "brand": cooperative.brand,
            "is_federation": cooperative.is_federation,
            "trade_model": cooperative.trade_model,
        }
    new = {
        "name": row.get("name"),
        "credit_code": credit_code.compact(row.get("uscc") or ""),
        "township": row.get("township"),
        "village": row.get("village"),
        "party_branch": given(book, COOPERATIVE, row, "party_branch", old, None),
        "founded_on": given(book, COOPERATIVE, row, "founded_on", old, None),
        "business_type": given(book, COOPERATIVE, row, "business_type", old, ""),
        "brand": given(book, COOPERATIVE, row, "brand", old, ""),
        "is_federation": given(book, COOPERATIVE, row, "is_federation", old, False),
        # The bylaws' model for members' produce; the import's sync books unposted intake under it.
        "trade_model": given(book, COOPERATIVE, row, "trade_model", old, TradeModel.PURCHASE.value),
    }
    plan.cooperative = new
    branch = new["party_branch"]
    if branch and branch not in stored.branches and stored.village_branch not in (None, branch):
        # A village has one party branch (party_branch.village_id is unique): a new name cannot be added to it.
        column = COOPERATIVE.column("party_branch")
        where = {"sheet": COOPERATIVE, "row": row.number, "column": column}
        problems.error(BRANCH_TAKEN, **where, value=branch, village=new["village"], existing=stored.village_branch)
    effective_on = row.get("bylaws_effective_on") or new["founded_on"] or _first_day(book, plan)
    previous = stored.bylaws.get(effective_on)
    kept = (
        {
            "patronage_measure": str(previous.patronage_measure),
            "land_guarantee": str(previous.land_guarantee_treatment),
            "resolution": previous.resolution,
        }
        if previous
        else {}
    )
    bylaws = {
        "effective_on": effective_on,
        "provident_fund_rate": row.get("provident_fund_rate"),
        "patronage_ratio": row.get("patronage_ratio"),
        "provident_basis": row.get("provident_basis") or ProvidentBasis.TRANSACTIONS.value,
        "patronage_measure": given(book, COOPERATIVE, row, "patronage_measure", kept, PatronageMeasure.AMOUNT.value),
        "land_guarantee": given(book, COOPERATIVE, row, "land_guarantee", kept, LandGuaranteeTreatment.COST.value),
        "resolution": given(book, COOPERATIVE, row, "resolution", kept, ""),
    }
    plan.bylaws = bylaws
    stored_bylaws = (
        {
            "effective_on": previous.effective_on,
            "provident_fund_rate": previous.provident_fund_rate,
            "patronage_ratio": previous.patronage_ratio,
            "provident_basis": str(previous.provident_basis),
            **kept,
        }
        if previous
        else None
    )
    counts = plan.counts[COOPERATIVE.key]
    if cooperative is None:
        counts.created += 1
    elif old != new or stored_bylaws != bylaws:
        counts.updated += 1
        if stored_bylaws != bylaws:
            closed(problems, stored, COOPERATIVE, row, effective_on)
    else:
        counts.unchanged += 1


def _first_day(book: Book, plan: Plan) -> dt.date:
    # Issue #3: bylaws take effect on the founding date, else on 1 January of the earliest year of the data.
    joined = [row.get("joined_on") for row in book.rows(MEMBERS) if row.get("joined_on")]
    years = plan.data_years | {day.year for day in joined}
    return dt.date(min(years), 1, 1) if years else dt.date(dt.date.today().year, 1, 1)


def plan_fiscal_years(book: Book, stored: Stored, plan: Plan, problems: Problems, *, now: dt.datetime) -> None:
    """Upsert the 年度结转 rows and create the fiscal years of every year the dated records fall in.

    A year may be closed by the import (the books of earlier years brought in at once), after its rows are
    written; a closed year is never reopened here: that is reversing its distribution.
    """
    rows = {row.get("year"): row for row in usable(book.rows(FISCAL_YEARS), "year", "opening_undistributed")}
    # The sheet's first year is where the books kept here begin: earlier records (say, founders'
    # contributions before it) are history and get no fiscal year of their own.
    first = min(rows, default=None)
    years = set(rows) | {year for year in plan.data_years if first is None or year >= first}
    counts = plan.counts[FISCAL_YEARS.key]
    for year in sorted(years):
        row = rows.get(year)
        old = stored.fiscal_years.get(year)
        opening: Decimal | None = row.get("opening_undistributed") if row else None
        closing: bool | None = row.get("closed") if row else None
        if old is None:
            state = FiscalYearState.CLOSED if closing else FiscalYearState.OPEN
            values = {"opening_undistributed": opening or Decimal("0.00"), "state": state.value}
            plan.fiscal_years.inserts.append({"year": year, **values, "closed_at": now if closing else None})
            counts.created += 1
            continue
        was_closed = year in stored.closed_years
        if row is not None and closing is False and was_closed:
            # A workbook made from the template says 否 until the accountant changes it; closed stays closed.
            column = FISCAL_YEARS.column("closed")
            problems.warning(REOPEN, sheet=FISCAL_YEARS, row=row.number, column=column, year=year, value="否")
        changes: Record = {}
        changed = opening is not None and opening != old["opening_undistributed"]
        if changed and not closed(problems, stored, FISCAL_YEARS, row, dt.date(year, 1, 1)):
            changes["opening_undistributed"] = opening
        if closing and not was_closed:
            changes |= {"state": FiscalYearState.CLOSED.value, "closed_at": now}
        if changes:
            plan.fiscal_years.updates.append({"id": old["id"], **changes})
            counts.updated += 1
        else:
            counts.unchanged += 1
