"""What an import will write, decided before writing: rows to insert, update or remove, by natural key.

The cooperative is found by credit code, members by code, fiscal years by year; refusals for closed
fiscal years are made here, so that a blocked import has written nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from coopcore.models import LandGuaranteeTreatment, MemberKind, PatronageMeasure, ProvidentBasis
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems, SheetCounts
from coopcore.services.workbook.schema import COOPERATIVE, FISCAL_YEARS, MEMBERS, Sheet
from coopcore.services.workbook.stored import Record, Stored
from coopcore.validation import credit_code, resident_id

CLOSED_YEAR = "This row is dated in {year}, a closed fiscal year: its records can no longer change."
CLOSED_REMOVAL = (
    "{value} ({day}) is no longer in the workbook, but {year} is a closed fiscal year and its records cannot "
    "change: put the row back."
)
UNKNOWN_MEMBER_COOPERATIVE = (
    "No cooperative with credit code {value} is in the database yet, so this member is not linked to it: "
    "import that cooperative first."
)
TEMPLATES = (CLOSED_YEAR, CLOSED_REMOVAL, UNKNOWN_MEMBER_COOPERATIVE)
NEW_COLLECTIVE = -1  # a member village collective to create in the cooperative's village (resolved on writing)
MEMBER_TEXT = ("household_head", "address", "phone")
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
    fiscal_years: Changes = field(default_factory=Changes)
    parcels: Changes = field(default_factory=Changes)
    shares: Changes = field(default_factory=Changes)
    counts: dict[str, SheetCounts] = field(default_factory=lambda: defaultdict(SheetCounts))
    data_years: set[int] = field(default_factory=set)  # years of the dated records of the workbook


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


def closed(problems: Problems, stored: Stored, sheet: Sheet, row: Row | None, *days: dt.date | None) -> bool:
    """Refuse a change dated in a closed fiscal year; True if refused."""
    years = sorted({day.year for day in days if day is not None} & stored.closed_years)
    if years and row is not None:
        problems.error(CLOSED_YEAR, sheet=sheet, row=row.number, column=sheet.columns[0], year=years[0])
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
    }
    plan.cooperative = new
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


def plan_members(book: Book, stored: Stored, plan: Plan, problems: Problems) -> None:
    """Decide inserts and updates of members by code; founders are inferred where not stated ([L-12])."""
    rows = usable(book.rows(MEMBERS), "member_code", "name", "kind", "id_number", "joined_on")
    founding = plan.cooperative.get("founded_on") or min(
        [row.get("joined_on") for row in rows] + [m["joined_on"] for m in stored.members.values()], default=None
    )
    plan.roster = {code: dict(record) for code, record in stored.members.items()}
    counts = plan.counts[MEMBERS.key]
    for row in rows:
        code = row.get("member_code")
        old = stored.members.get(code)
        new = _member_fields(book, row, old, founding, stored, plan, problems)
        if old is None:
            plan.members.inserts.append({"code": code, **new})
            counts.created += 1
        elif any(old.get(key) != value for key, value in new.items()):
            plan.members.updates.append({"id": old["id"], **new})
            counts.updated += 1
        else:
            counts.unchanged += 1
        plan.roster[code] = {**(old or {"code": code}), **new}


def _member_fields(
    book: Book,
    row: Row,
    old: Record | None,
    founding: dt.date | None,
    stored: Stored,
    plan: Plan,
    problems: Problems,
) -> Record:
    kind = MemberKind(row.get("kind"))
    number = row.get("id_number")
    number = resident_id.compact(number) if kind.is_person else credit_code.compact(number)
    founder = row.get("is_founder") if book.has(MEMBERS, "is_founder") else None
    if founder is None:
        # [L-12] founders are the members at founding: those who joined by the founding date.
        founder = old["is_founder"] if old else bool(founding and row.get("joined_on") <= founding)
    fields: Record = {
        "name": row.get("name"),
        "kind": kind.value,
        "id_number": number,
        "joined_on": row.get("joined_on"),
        "left_on": given(book, MEMBERS, row, "left_on", old, None),
        "is_founder": founder,
        "additional_votes": given(book, MEMBERS, row, "additional_votes", old, 0),
        "household_size": given(book, MEMBERS, row, "household_size", old, None),
        "exit_applied_on": given(book, MEMBERS, row, "exit_applied_on", old, None),
        "member_cooperative_id": None,
        "village_collective_id": None,
    }
    for key in MEMBER_TEXT:
        fields[key] = given(book, MEMBERS, row, key, old, None)
    if kind is MemberKind.COOPERATIVE:
        fields["member_cooperative_id"] = stored.cooperatives.get(number) or (old or {}).get("member_cooperative_id")
        if fields["member_cooperative_id"] is None:
            column = MEMBERS.column("id_number")
            problems.warning(UNKNOWN_MEMBER_COOPERATIVE, sheet=MEMBERS, row=row.number, column=column, value=number)
    elif kind is MemberKind.VILLAGE_COLLECTIVE:
        fields["village_collective_id"] = _collective(number, row.get("name"), old, stored, plan)
    return fields


def _collective(number: str, name: str, old: Record | None, stored: Stored, plan: Plan) -> int | None:
    found = stored.collectives.get(number) or (old or {}).get("village_collective_id")
    if found is not None:
        return found
    # The collective that joins a party-branch-led cooperative is usually its own village's (docs/domain.md §8):
    # record it there when that village has none yet.
    if not stored.village_has_collective and plan.new_collective in (None, (number, name)):
        plan.new_collective = (number, name)
        return NEW_COLLECTIVE
    return None


def plan_fiscal_years(book: Book, stored: Stored, plan: Plan, problems: Problems) -> None:
    """Upsert the 年度结转 rows and create the fiscal years of every year the dated records fall in."""
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
        if old is None:
            plan.fiscal_years.inserts.append({"year": year, "opening_undistributed": opening or Decimal("0.00")})
            counts.created += 1
        elif opening is not None and opening != old["opening_undistributed"]:
            if not closed(problems, stored, FISCAL_YEARS, row, dt.date(year, 1, 1)):
                plan.fiscal_years.updates.append({"id": old["id"], "opening_undistributed": opening})
            counts.updated += 1
        else:
            counts.unchanged += 1
