"""Checks across cells and rows of the cooperative and member sheets: identifiers, dates in order, duplicates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from coopcore.errors import InvalidValue
from coopcore.models import MemberKind
from coopcore.services.workbook.format import Sheet
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems, Words
from coopcore.services.workbook.schema import COOPERATIVE, MEMBERS
from coopcore.services.workbook.stored import Stored
from coopcore.validation import credit_code, phone, resident_id
from coopcore.validation.problems import InvalidChecksum, InvalidLength

ONE_COOPERATIVE = "The cooperative sheet must have exactly one row (one cooperative per workbook); it has {count}."
NOT_A_FARMER_COOPERATIVE = (
    "Credit code {value} does not start with 93, the prefix of farmer cooperatives; check that it is the "
    "cooperative's own code."
)
PATRONAGE_RATIO = (
    "The patronage ratio {value} is below 0.60: at least 60% of distributable surplus is returned by patronage "
    "(Art. 44)."
)
RATIO_ABOVE_ONE = "{value} is above 1; write a ratio such as 0.70 for 70%."
PROVIDENT_RATE = "The provident fund rate {value} must be from 0 to 0.5."
ID_LENGTH = "{value} has {actual} characters; a {what} has 18."
ID_CHECKSUM = "{value} has a wrong check character (expected {expected}): compare it with the original document."
RESIDENT_ID_INVALID = (
    "{value} is not a valid resident ID number: 18 digits (the last may be X) with a real, past birth date are "
    "expected."
)
CREDIT_CODE_INVALID = (
    "{value} is not a valid unified social credit code: 18 digits or capital letters (no I, O, Z, S or V) with "
    "the region code in positions 3 to 8 are expected."
)
DUPLICATE = "{value} appears more than once in this sheet (also row {first}); each must be unique."
LEFT_BEFORE_JOINED = "The leaving date {value} is before the joining date {joined_on}."
APPLIED_AFTER_LEFT = "The exit application date {value} is after the leaving date {left_on}."
JOINED_BEFORE_FOUNDED = "Joined on {value}, before the cooperative was founded on {founded_on}."
BAD_PHONE = "{value} is not an 11-digit mobile number; check it (kept as written)."
UNKNOWN_MEMBER = "Member {value} is not in the members sheet or the database: add the member or correct the code."
RESIDENT_ID = Words("resident ID number", "居民身份证号码")
CREDIT_CODE = Words("unified social credit code", "统一社会信用代码")
TEMPLATES = (
    ONE_COOPERATIVE,
    NOT_A_FARMER_COOPERATIVE,
    PATRONAGE_RATIO,
    RATIO_ABOVE_ONE,
    PROVIDENT_RATE,
    ID_LENGTH,
    ID_CHECKSUM,
    RESIDENT_ID_INVALID,
    CREDIT_CODE_INVALID,
    DUPLICATE,
    LEFT_BEFORE_JOINED,
    APPLIED_AFTER_LEFT,
    JOINED_BEFORE_FOUNDED,
    BAD_PHONE,
    UNKNOWN_MEMBER,
)


def cooperative_row(book: Book, problems: Problems) -> Row | None:
    """Return the one row of the cooperative sheet, or None (reported) if there is not exactly one."""
    rows = book.rows(COOPERATIVE)
    if book.has(COOPERATIVE) and len(rows) != 1:
        problems.error(ONE_COOPERATIVE, sheet=COOPERATIVE, row=rows[1].number if rows[1:] else None, count=len(rows))
    return rows[0] if len(rows) == 1 else None


def check_cooperative(row: Row, problems: Problems) -> None:
    """Check the credit code and the charter ratios of the cooperative row."""
    code = row.get("uscc")
    valid = code is not None and check_identifier(COOPERATIVE, row, "uscc", code, person=False, problems=problems)
    # GB 32100: farmer cooperatives register with department 9 (market regulation) and type 3.
    if valid and not credit_code.compact(code).startswith("93"):
        column = COOPERATIVE.column("uscc")
        problems.warning(NOT_A_FARMER_COOPERATIVE, sheet=COOPERATIVE, row=row.number, column=column, value=code)
    where = {"sheet": COOPERATIVE, "row": row.number}
    ratio: Decimal | None = row.get("patronage_ratio")
    if ratio is not None and ratio > 1:
        problems.error(RATIO_ABOVE_ONE, **where, column=COOPERATIVE.column("patronage_ratio"), value=ratio)
    elif ratio is not None and ratio < Decimal("0.6"):
        # [L-44]: 返还总额不得低于可分配盈余的百分之六十.
        problems.error(PATRONAGE_RATIO, **where, column=COOPERATIVE.column("patronage_ratio"), value=ratio)
    rate: Decimal | None = row.get("provident_fund_rate")
    if rate is not None and not Decimal(0) <= rate <= Decimal("0.5"):
        # [L-42] leaves the rate to the charter; the bylaws table bounds it at 50% as a plausibility check.
        problems.error(PROVIDENT_RATE, **where, column=COOPERATIVE.column("provident_fund_rate"), value=rate)


def check_identifier(sheet: Sheet, row: Row, key: str, value: str, *, person: bool, problems: Problems) -> bool:
    """Check a resident ID (persons) or credit code (organisations, GB 32100) by its check character."""
    what = RESIDENT_ID if person else CREDIT_CODE
    where: dict[str, Any] = {"sheet": sheet, "row": row.number, "column": sheet.column(key), "value": value}
    try:
        if person:
            resident_id.validate(value)
        else:
            credit_code.validate(value)
    except InvalidLength as error:
        problems.error(ID_LENGTH, **where, actual=error.fields["actual"], what=what)
    except InvalidChecksum as error:
        problems.error(ID_CHECKSUM, **where, expected=error.fields["expected"])
    except InvalidValue:
        problems.error(RESIDENT_ID_INVALID if person else CREDIT_CODE_INVALID, **where)
    else:
        return True
    return False


def check_members(book: Book, founded_on: dt.date | None, problems: Problems) -> None:
    """Check codes and ID numbers for duplicates and check digits, dates in order, phones."""
    rows = book.rows(MEMBERS)
    check_unique(MEMBERS, rows, "member_code", problems)
    check_unique(MEMBERS, rows, "id_number", problems, normalise=lambda value: value.upper())
    for row in rows:
        kind, number = row.get("kind"), row.get("id_number")
        if kind is not None and number is not None:
            check_identifier(MEMBERS, row, "id_number", number, person=MemberKind(kind).is_person, problems=problems)
        joined_on, left_on, applied_on = row.get("joined_on"), row.get("left_on"), row.get("exit_applied_on")
        where: dict[str, Any] = {"sheet": MEMBERS, "row": row.number}
        if joined_on and left_on and left_on < joined_on:
            problems.error(
                LEFT_BEFORE_JOINED, **where, column=MEMBERS.column("left_on"), value=left_on, joined_on=joined_on
            )
        if applied_on and left_on and applied_on > left_on:
            column = MEMBERS.column("exit_applied_on")
            problems.error(APPLIED_AFTER_LEFT, **where, column=column, value=applied_on, left_on=left_on)
        if joined_on and founded_on and joined_on < founded_on:
            column = MEMBERS.column("joined_on")
            problems.error(JOINED_BEFORE_FOUNDED, **where, column=column, value=joined_on, founded_on=founded_on)
        mobile = row.get("phone")
        if mobile and not phone.is_valid(mobile):
            problems.warning(BAD_PHONE, **where, column=MEMBERS.column("phone"), value=mobile)


def check_unique(sheet: Sheet, rows: Iterable[Row], key: str, problems: Problems, *, normalise: Any = None) -> None:
    """Report every repeat of a column's value that must be unique within the sheet."""
    first: dict[Any, int] = {}
    for row in rows:
        value = row.get(key)
        if value is None:
            continue
        seen = normalise(value) if normalise else value
        if seen in first:
            problems.error(
                DUPLICATE, sheet=sheet, row=row.number, column=sheet.column(key), value=value, first=first[seen]
            )
        else:
            first[seen] = row.number


def member_dates(book: Book, stored: Stored) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Return every known member code with its joining and leaving dates (the workbook's win)."""
    known = {code: (record["joined_on"], record["left_on"]) for code, record in stored.members.items()}
    for row in book.rows(MEMBERS):
        code = row.get("member_code")
        if code is not None:
            known[code] = (row.get("joined_on"), row.get("left_on"))
    return known


def check_reference(
    sheet: Sheet, row: Row, known: dict[str, Any], problems: Problems, key: str = "member_code"
) -> bool:
    """Report a member code that no member row or stored member defines; True if it is known."""
    code = row.get(key)
    if code is None or code in known:
        return code is not None
    problems.error(UNKNOWN_MEMBER, sheet=sheet, row=row.number, column=sheet.column(key), value=code)
    return False
