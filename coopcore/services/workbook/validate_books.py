"""Checks across the rows of the book-keeping sheets: references, signs, amounts, terms of land shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from coopcore.errors import InvalidValue
from coopcore.rules import books
from coopcore.rules.entries import check_counter_account
from coopcore.rules.entries.accounts import BANK
from coopcore.services.workbook.format import Sheet
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems
from coopcore.services.workbook.schema import (
    CONTRIBUTIONS,
    FISCAL_YEARS,
    INCOME_EXPENSE,
    LAND_SHARES,
    PROVIDENT_SHARES,
    SPECIAL_FUNDS,
    SPECIAL_PAYABLES,
    TRANSACTIONS,
)
from coopcore.services.workbook.stored import Stored
from coopcore.services.workbook.validate import check_reference, check_unique
from coopcore.validation.area import MAX_AREA_MU

Dates = dict[str, tuple[dt.date | None, dt.date | None]]

MUST_BE_POSITIVE = "{value} must be more than 0."
MUST_NOT_BE_ZERO = "{value} must not be 0."
MUST_NOT_BE_NEGATIVE = "{value} must not be negative."
AREA_TOO_LARGE = "{value} mu is more than {maximum} mu; check the unit."
MEMBER_OR_PARTY = "Give either a member code or a non-member party, not both."
BEFORE_JOINING = "Dated {value}, before member {member} joined on {joined_on}: check the date or the member."
AFTER_LEAVING = (
    "Dated {value}, after member {member} left on {left_on}: business with a former member is non-member "
    "business (Art. 41)."
)
PARCEL_MISMATCH = "Parcel {parcel} has a different {column_name} in row {first} ({other}); a parcel's rows must agree."
PARCEL_OF_OTHER_MEMBER = "Parcel {value} belongs to member {owner} in the database; a parcel keeps its household."
DUPLICATE_SHARE = (
    "Parcel {value} has two shares starting on the same day (also row {first}); a share is identified by its "
    "parcel and start date."
)
# The rules of single records (amounts, signs, land terms) live in coopcore.rules.books, shared with the admin.
NO_SUCH_COUNTER_ACCOUNT = (
    "The books have no account {value} that takes bookings (it is missing, out of use, or has detail accounts: "
    "name one of them)."
)
BLANK_COUNTER_ACCOUNT = (
    "A blank counter account means 102 (bank deposits), which does not take bookings in these books (it is out of "
    "use, or has detail accounts): name the account the row is booked against."
)
TEMPLATES = (
    NO_SUCH_COUNTER_ACCOUNT,
    BLANK_COUNTER_ACCOUNT,
    MUST_BE_POSITIVE,
    MUST_NOT_BE_ZERO,
    MUST_NOT_BE_NEGATIVE,
    AREA_TOO_LARGE,
    MEMBER_OR_PARTY,
    BEFORE_JOINING,
    AFTER_LEAVING,
    PARCEL_MISMATCH,
    PARCEL_OF_OTHER_MEMBER,
    DUPLICATE_SHARE,
)
PARCEL_COLUMNS = ("member_code", "certificate_no", "location", "parcel_area_mu", "contract_end_on")


def check_books(book: Book, stored: Stored, members: Dates, problems: Problems) -> None:
    """Run the row checks of every book-keeping sheet the workbook has."""
    for row in book.rows(CONTRIBUTIONS):
        if check_reference(CONTRIBUTIONS, row, members, problems):
            _check_membership_dates(CONTRIBUTIONS, row, members, problems, warn_after=False)
        _sign(CONTRIBUTIONS, row, "amount", problems, positive=True)
        method, area = row.get("method"), row.get("area_mu")
        unreadable_area = book.has(CONTRIBUTIONS, "area_mu") and "area_mu" not in row  # already reported
        if not unreadable_area:
            problems.place(books.check_land_area(method, area), CONTRIBUTIONS, row.number)
        problems.place(books.check_area_only_for_land(method, area), CONTRIBUTIONS, row.number)
        found = books.check_contribution_premium(method, row.get("amount"), row.get("premium"))
        problems.place(found, CONTRIBUTIONS, row.number)
        _area(CONTRIBUTIONS, row, "area_mu", problems)
    for row in book.rows(PROVIDENT_SHARES):
        check_reference(PROVIDENT_SHARES, row, members, problems)
        if row.get("amount") == 0:
            problems.error(
                MUST_NOT_BE_ZERO,
                sheet=PROVIDENT_SHARES,
                row=row.number,
                column=_amount(PROVIDENT_SHARES),
                value=row.get("amount"),
            )
    _check_transactions(book, members, problems)
    for row in book.rows(INCOME_EXPENSE):
        problems.place(books.check_income_sign(row.get("category"), row.get("amount")), INCOME_EXPENSE, row.number)
        _check_counter_account(row, problems)
    for row in book.rows(SPECIAL_FUNDS):
        _sign(SPECIAL_FUNDS, row, "amount", problems, positive=True)
        found = books.check_fund_dates(row.get("date"), row.get("disposed_on"))
        found += books.check_fund_form(row.get("source"), row.get("form"))
        problems.place(found, SPECIAL_FUNDS, row.number)
    for row in book.rows(SPECIAL_PAYABLES):
        _sign(SPECIAL_PAYABLES, row, "amount", problems, positive=True)
    check_unique(FISCAL_YEARS, book.rows(FISCAL_YEARS), "year", problems)
    _check_land(book, stored, members, problems)


def _check_counter_account(row: Row, problems: Problems) -> None:
    """A 收支 row's 对方科目, when given, is one a row can be booked against (check_counter_account)."""
    code = row.get("counter_account")
    if code is None:
        return  # 102: whether these books take it is asked where a row is to be booked (check_bookable)
    try:
        check_counter_account(str(code))
    except InvalidValue as refusal:
        problems.error(refusal.message_template, **_counter_cell(row), **refusal.fields)


def check_bookable(row: Row, stored: Stored, problems: Problems) -> None:
    """The 对方科目 of a 收支 row to be booked takes bookings in the cooperative's books; a blank one is 102.

    Asked of the rows the import writes (new or changed), in the dry run as in the import: a row left as it was
    keeps its voucher, even on an account split into detail accounts since. Without this, a blank cell passed the
    dry run and the import stopped at the voucher (102 has detail accounts).
    """
    given = row.get("counter_account")
    try:
        code = BANK if given is None else check_counter_account(str(given))
    except InvalidValue:
        return  # refused at its cell already (_check_counter_account)
    if code not in stored.bookable_accounts:
        problems.error(NO_SUCH_COUNTER_ACCOUNT if given is not None else BLANK_COUNTER_ACCOUNT, **_counter_cell(row),
                       value=given)  # fmt: skip


def _counter_cell(row: Row) -> dict[str, Any]:
    return {"sheet": INCOME_EXPENSE, "row": row.number, "column": INCOME_EXPENSE.column("counter_account")}


def _amount(sheet: Sheet) -> Any:
    return sheet.column("amount")


def _sign(sheet: Sheet, row: Row, key: str, problems: Problems, *, positive: bool) -> None:
    value: Decimal | None = row.get(key)
    if value is None:
        return
    if positive and value <= 0:
        problems.error(MUST_BE_POSITIVE, sheet=sheet, row=row.number, column=sheet.column(key), value=value)
    elif not positive and value < 0:
        problems.error(MUST_NOT_BE_NEGATIVE, sheet=sheet, row=row.number, column=sheet.column(key), value=value)


def _area(sheet: Sheet, row: Row, key: str, problems: Problems) -> None:
    area: Decimal | None = row.get(key)
    if area is not None and area > MAX_AREA_MU:
        problems.error(
            AREA_TOO_LARGE, sheet=sheet, row=row.number, column=sheet.column(key), value=area, maximum=MAX_AREA_MU
        )
    elif area is not None:
        _sign(sheet, row, key, problems, positive=True)


def _check_membership_dates(sheet: Sheet, row: Row, members: Dates, problems: Problems, *, warn_after: bool) -> None:
    day, code = row.get("date"), row.get("member_code")
    joined_on, left_on = members[code]
    where: dict[str, Any] = {
        "sheet": sheet,
        "row": row.number,
        "column": sheet.column("date"),
        "value": day,
        "member": code,
    }
    if day and joined_on and day < joined_on:
        problems.warning(BEFORE_JOINING, **where, joined_on=joined_on)
    elif warn_after and day and left_on and day > left_on:
        problems.warning(AFTER_LEAVING, **where, left_on=left_on)


def _check_transactions(book: Book, members: Dates, problems: Problems) -> None:
    sheet = TRANSACTIONS
    rows = book.rows(sheet)
    check_unique(sheet, rows, "ticket_no", problems)
    for row in rows:
        code, party = row.get("member_code"), row.get("counterparty")
        if code is not None and party:
            problems.error(
                MEMBER_OR_PARTY, sheet=sheet, row=row.number, column=sheet.column("counterparty"), value=party
            )
        if code is not None and check_reference(sheet, row, members, problems):
            _check_membership_dates(sheet, row, members, problems, warn_after=True)
        _sign(sheet, row, "quantity", problems, positive=True)
        _sign(sheet, row, "unit_price", problems, positive=True)
        found = books.check_trade_amount(row.get("quantity"), row.get("unit_price"), row.get("amount"))
        problems.place(found, sheet, row.number)
        problems.place(books.check_service_fee(row.get("kind"), row.get("service_fee")), sheet, row.number)


def _check_land(book: Book, stored: Stored, members: Dates, problems: Problems) -> None:
    sheet = LAND_SHARES
    rows = book.rows(sheet)
    first: dict[str, Row] = {}
    keys: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        where: dict[str, Any] = {"sheet": sheet, "row": row.number}
        check_reference(sheet, row, members, problems)
        _area(sheet, row, "area_mu", problems)
        _area(sheet, row, "parcel_area_mu", problems)
        _sign(sheet, row, "guarantee_per_mu", problems, positive=False)
        _sign(sheet, row, "shares_per_mu", problems, positive=True)
        _sign(sheet, row, "share_value", problems, positive=False)
        code, start_on, end_on = row.get("parcel_code"), row.get("start_on"), row.get("end_on")
        problems.place(books.check_share_term(start_on, end_on), sheet, row.number)
        if code is None:
            continue
        if (code, start_on) in keys:
            problems.error(
                DUPLICATE_SHARE, **where, column=sheet.column("start_on"), value=code, first=keys[(code, start_on)]
            )
        keys[(code, start_on)] = row.number
        parcel = stored.parcels.get(code, {})
        owner = parcel.get("member_code")
        if owner is not None and row.get("member_code") not in (None, owner):
            problems.error(PARCEL_OF_OTHER_MEMBER, **where, column=sheet.column("parcel_code"), value=code, owner=owner)
        if code in first:
            _same_parcel(first[code], row, problems)
        else:
            first[code] = row
        # The end of the land contract is known from the row or the stored parcel.
        contract_end = row.get("contract_end_on") if "contract_end_on" in book.sheets[sheet.key].columns else None
        contract_end = contract_end or parcel.get("contract_end_on")
        problems.place(books.check_share_contract(end_on, contract_end), sheet, row.number)
        problems.place(books.check_share_area(row.get("area_mu"), row.get("parcel_area_mu")), sheet, row.number)


def _same_parcel(first: Row, row: Row, problems: Problems) -> None:
    for key in PARCEL_COLUMNS:
        if key in row and key in first and row.get(key) != first.get(key):
            column = LAND_SHARES.column(key)
            problems.error(
                PARCEL_MISMATCH,
                sheet=LAND_SHARES,
                row=row.number,
                column=column,
                value=row.get(key),
                parcel=row.get("parcel_code"),
                column_name=column,
                first=first.number,
                other=first.get(key),
            )
