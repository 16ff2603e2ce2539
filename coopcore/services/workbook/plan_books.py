"""What an import writes to the books: account entries, trades, income and expense, special funds, land shares.

A dated sheet is the complete record of the rows that came from workbooks, for each year it has rows in:
stored workbook rows of those years that the sheet no longer lists are removed (account entries, which are
append-only, are reversed). Rows typed in the admin or booked by a service (Origin) are matched when the
sheet lists them and never removed, changed or reversed by an import. Years the sheet does not mention stay
as they are, and a sheet left out of the workbook changes nothing. Rows with a natural key (ticket number,
parcel code and start date) are updated in place; the others are matched on their whole content, so a
changed row counts as one removed and one created.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from coopcore.db.base import Base
from coopcore.models import (
    AccountEntryKind,
    FundForm,
    IncomeCategory,
    IncomeExpense,
    MemberAccountEntry,
    SpecialFund,
    SpecialPayable,
    Trade,
    TradeKind,
)
from coopcore.models.trade import TICKET_FIELDS
from coopcore.money import ZERO
from coopcore.rules.books import trade_amount
from coopcore.rules.entries.accounts import BANK
from coopcore.services.workbook.format import Sheet
from coopcore.services.workbook.newer import Touched
from coopcore.services.workbook.plan import (
    OWNED_TICKET,
    WORKBOOK,
    Changes,
    Plan,
    closed,
    is_own,
    match_owned,
    origin_label,
    refuse_closed_removal,
    usable,
)
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems, SurplusChange
from coopcore.services.workbook.schema import (
    CONTRIBUTIONS,
    INCOME_EXPENSE,
    PROVIDENT_SHARES,
    SPECIAL_FUNDS,
    SPECIAL_PAYABLES,
    TRANSACTIONS,
)
from coopcore.services.workbook.stored import Record, Stored
from coopcore.services.workbook.validate_books import check_bookable

TRADE_FIELDS = ("member_code", *TICKET_FIELDS)
REVERSAL_MEMO = "冲销：{memo}"  # the wording of distribution reversals (coopcore.services.distribution_posting)
LINKED_TRADE = (
    "Ticket {value} is no longer in the workbook, but an enterprise delivery is traced to it, so it was kept."
)
TEMPLATES = (LINKED_TRADE,)


def plan_books(book: Book, stored: Stored, plan: Plan, problems: Problems) -> None:
    """Plan every book-keeping sheet the workbook has, and note the years its dated rows fall in."""
    if book.has(CONTRIBUTIONS):
        _plan_entries(book, CONTRIBUTIONS, stored, plan, problems)
    if book.has(PROVIDENT_SHARES):
        _plan_entries(book, PROVIDENT_SHARES, stored, plan, problems)
    if book.has(TRANSACTIONS):
        _plan_trades(book, stored, plan, problems)
    if book.has(INCOME_EXPENSE):
        keys = ["date", "category", "amount", "memo"]
        keys += [key for key in ("voucher_no", "counter_account") if book.has(INCOME_EXPENSE, key)]
        _plan_records(book, INCOME_EXPENSE, keys, stored.income, plan.income, stored, plan, problems)
    if book.has(SPECIAL_FUNDS):
        keys = ["date", "source", "amount", "memo"]
        optional = ("is_poverty_asset", "disposed_on", "form", "asset_account")
        keys += [key for key in optional if book.has(SPECIAL_FUNDS, key)]
        _plan_records(book, SPECIAL_FUNDS, keys, stored.funds, plan.funds, stored, plan, problems)
    if book.has(SPECIAL_PAYABLES):
        keys = ["date", "kind", "amount", *(key for key in PAYABLE_KEYS if book.has(SPECIAL_PAYABLES, key))]
        _plan_records(book, SPECIAL_PAYABLES, keys, stored.payables, plan.payables, stored, plan, problems)


def _entry_key(
    code: str, kind: str, day: dt.date, amount: Decimal, area: Decimal | None, memo: str | None, premium: Decimal | None
) -> tuple[Any, ...]:
    return (code, str(kind), day, amount, area, memo or "", premium or None)


def _plan_entries(book: Book, sheet: Sheet, stored: Stored, plan: Plan, problems: Problems) -> None:
    provident = sheet is PROVIDENT_SHARES
    kinds = (
        {AccountEntryKind.PROVIDENT_SHARE.value}
        if provident
        else {k.value for k in AccountEntryKind if k.is_contribution}
    )
    rows = usable(book.rows(sheet), "member_code", "date", "amount", *(() if provident else ("method",)))
    memo_key = "memo" if provident else "note"

    def row_key(row: Row) -> tuple[Any, ...]:
        kind = AccountEntryKind.PROVIDENT_SHARE.value if provident else row.get("method")
        area, premium = (None, None) if provident else (row.get("area_mu"), row.get("premium"))
        code, day, amount = row.get("member_code"), row.get("date"), row.get("amount")
        return _entry_key(code, kind, day, amount, area, row.get(memo_key), premium)

    records = [r for r in stored.entries if str(r["kind"]) in kinds]
    new, unchanged, left = match_owned(
        sheet,
        rows,
        row_key,
        [
            (
                _entry_key(
                    r["member_code"], r["kind"], r["entry_on"], r["amount"], r["area_mu"], r["memo"], r["premium"]
                ),
                r,
            )
            for r in records
        ],
        problems,
        marks=stored.cooperative is not None,
    )
    counts = plan.counts[sheet.key]
    counts.unchanged += unchanged
    years = {row.get("date").year for row in rows}
    plan.data_years |= years
    occurrences: dict[tuple[Any, ...], int] = {}
    for row in new:
        if closed(problems, stored, sheet, row, row.get("date")):
            continue
        key = row_key(row)
        occurrences[key] = occurrences.get(key, 0) + 1
        # The natural key of an imported entry: its content, and which repeat of that content it is.
        digest = hashlib.sha1(repr((key, occurrences[key])).encode()).hexdigest()[:24]
        plan.entries.inserts.append(
            {
                "member_code": key[0],
                "kind": key[1],
                "entry_on": key[2],
                "amount": key[3],
                "area_mu": key[4],
                "memo": key[5],
                "premium": key[6],
                "source": f"import:{sheet.key}:{digest}",
                "origin": WORKBOOK,
                "reverses_id": None,
            }
        )
        counts.created += 1
    for record in left:
        day = record["entry_on"]
        if day.year not in years:
            continue
        label = f"{record['member_code']} {record['amount']}"
        if refuse_closed_removal(problems, stored, sheet, label, day):
            continue
        plan.touched.append(Touched(sheet, MemberAccountEntry, record["id"], label, day))
        # Account entries are append-only ([KJ 第五十七条] ledger): a removed row becomes a reversing entry.
        plan.entries.inserts.append(
            {
                "member_id": record["member_id"],
                "kind": str(record["kind"]),
                "entry_on": day,
                "amount": -record["amount"],
                "premium": -record["premium"] if record["premium"] else None,
                "area_mu": record["area_mu"],
                "memo": REVERSAL_MEMO.format(memo=record["memo"])[:200],
                "source": f"import:{sheet.key}:reversal",
                "origin": WORKBOOK,
                "reverses_id": record["id"],
            }
        )
        counts.removed += 1


def _plan_trades(book: Book, stored: Stored, plan: Plan, problems: Problems) -> None:
    sheet = TRANSACTIONS
    rows = usable(book.rows(sheet), "date", "product", "quantity", "unit", "unit_price")
    rows = [row for row in rows if row.get("member_code") is not None or row.get("counterparty")]
    by_ticket = {record["ticket_no"]: record for record in stored.trades if record["ticket_no"] is not None}
    has_kind, has_fee = book.has(sheet, "kind"), book.has(sheet, "service_fee")
    counts = plan.counts[sheet.key]
    years: set[int] = set()
    unticketed: list[Row] = []  # and new tickets: matched on content, ticket included, like rows without one
    matched: set[int] = set()
    for row in rows:
        ticket = row.get("ticket_no")
        old = by_ticket.get(ticket) if ticket is not None else None
        new = _trade_fields(row, old, has_kind, has_fee)
        years.add(new["traded_on"].year)
        if new["product"] not in stored.products:
            plan.new_products.setdefault(new["product"], new["unit"])
        if old is None:
            unticketed.append(row)
        else:
            matched.add(old["id"])
            if not any(_plain(old[key]) != new[key] for key in TRADE_FIELDS):
                counts.unchanged += 1
            elif not is_own(old):
                # The ticket was typed in the admin: the workbook may list it, but not rewrite it.
                where = {"sheet": sheet, "row": row.number, "column": sheet.column("ticket_no")}
                problems.error(OWNED_TICKET, **where, value=ticket, origin=origin_label(old["origin"]))
            else:
                if not closed(problems, stored, sheet, row, new["traded_on"], old["traded_on"]):
                    plan.trades.updates.append({"id": old["id"], **new})
                    column = sheet.column("ticket_no")
                    plan.touched.append(Touched(sheet, Trade, old["id"], ticket, old["traded_on"], row.number, column))
                counts.updated += 1
    plan.data_years |= years
    keys = (*TRADE_FIELDS, "ticket_no")
    loose = [(tuple(_plain(r[key]) for key in keys), r) for r in stored.trades if r["ticket_no"] is None]

    def row_key(row: Row) -> tuple[Any, ...]:
        new = _trade_fields(row, None, has_kind, has_fee)
        return tuple(new[key] for key in keys)

    new_rows, unchanged, left = match_owned(
        sheet, unticketed, row_key, loose, problems, marks=stored.cooperative is not None
    )
    counts.unchanged += unchanged
    for row in new_rows:
        if not closed(problems, stored, sheet, row, row.get("date")):
            plan.trades.inserts.append(_trade_fields(row, None, has_kind, has_fee) | {"origin": WORKBOOK})
        counts.created += 1
    # A ticket on a row with an unreadable cell is still in the workbook: that row's error is the one to report.
    listed = {row.get("ticket_no") for row in book.rows(sheet)} - {None}
    unlisted = [
        r for r in stored.trades
        if r["ticket_no"] is not None and r["id"] not in matched and r["ticket_no"] not in listed and is_own(r)
    ]  # fmt: skip
    for record in unlisted + left:
        if record["traded_on"].year not in years:
            continue
        label = record["ticket_no"] or f"{record['member_code'] or record['counterparty']} {record['product']}"
        if record["id"] in stored.linked_trades:
            problems.warning(LINKED_TRADE, sheet=sheet, value=label)
        elif not refuse_closed_removal(problems, stored, sheet, label, record["traded_on"]):
            plan.trades.deletes.append(record["id"])
            plan.touched.append(Touched(sheet, Trade, record["id"], label, record["traded_on"]))
            counts.removed += 1


def _plain(value: Any) -> Any:
    # Stored enums compare equal to their strings but hash differently: keys use the plain string.
    return str(value) if isinstance(value, TradeKind) else value


def _trade_fields(row: Row, old: Record | None, has_kind: bool, has_fee: bool) -> Record:
    """The ticket a row describes; a column the sheet leaves out keeps the stored ticket's value."""
    quantity, price = row.get("quantity"), row.get("unit_price")
    kind = row.get("kind") if has_kind else (str(old["kind"]) if old else None)
    fee = row.get("service_fee") if has_fee else (old["service_fee"] if old else None)
    return {
        "member_code": row.get("member_code"),
        "counterparty": row.get("counterparty") or "",
        "kind": kind or TradeKind.INTAKE.value,
        "traded_on": row.get("date"),
        "product": row.get("product"),
        "grade": row.get("grade") or "",
        "quantity": quantity,
        "unit": row.get("unit"),
        "unit_price": price,
        "amount": trade_amount(quantity, price) if row.get("amount") is None else row.get("amount"),
        "ticket_no": row.get("ticket_no"),
        "service_fee": fee,
    }


RECORD_COLUMNS = {
    INCOME_EXPENSE.key: {
        "date": "recorded_on",
        "category": "category",
        "amount": "amount",
        "memo": "memo",
        "voucher_no": "voucher_no",
        "counter_account": "counter_account",
    },
    SPECIAL_FUNDS.key: {
        "date": "received_on",
        "source": "source",
        "amount": "amount",
        "memo": "memo",
        "is_poverty_asset": "is_poverty_asset",
        "disposed_on": "disposed_on",
        "form": "form",
        "asset_account": "asset_account",
    },
    SPECIAL_PAYABLES.key: {
        "date": "moved_on",
        "kind": "kind",
        "amount": "amount",
        "project": "project",
        "expense_account": "expense_account",
        "memo": "memo",
    },
}
RECORD_MODELS: dict[str, type[Base]] = {
    INCOME_EXPENSE.key: IncomeExpense,
    SPECIAL_FUNDS.key: SpecialFund,
    SPECIAL_PAYABLES.key: SpecialPayable,
}
PAYABLE_KEYS = ("project", "expense_account", "memo")
DEFAULTS: dict[str, Any] = {
    "memo": "",
    "project": "",
    "is_poverty_asset": False,
    "counter_account": BANK,
    "form": FundForm.ASSET.value,
}
CHOICES = ("category", "source", "form", "kind")  # enum columns: compared as their plain values


def _plan_records(
    book: Book,
    sheet: Sheet,
    keys: list[str],
    records: list[Record],
    changes: Changes,
    stored: Stored,
    plan: Plan,
    problems: Problems,
) -> None:
    columns = RECORD_COLUMNS[sheet.key]
    rows = usable(book.rows(sheet), *(key for key in keys if key in ("date", "amount", "category", "source", "kind")))

    def row_value(row: Row, key: str) -> Any:
        value = row.get(key)
        return DEFAULTS.get(key) if value is None else value

    def record_value(record: Record, key: str) -> Any:
        value = record[columns[key]]
        return str(value) if key in CHOICES and value is not None else (DEFAULTS.get(key) if value is None else value)

    years = {row.get("date").year for row in rows}
    plan.data_years |= years
    new, unchanged, left = match_owned(
        sheet,
        rows,
        lambda row: tuple(row_value(row, key) for key in keys),
        [(tuple(record_value(record, key) for key in keys), record) for record in records],
        problems,
        marks=stored.cooperative is not None,
    )
    counts = plan.counts[sheet.key]
    counts.unchanged += unchanged
    for row in new:
        if not closed(problems, stored, sheet, row, row.get("date")):
            values = {columns[key]: row_value(row, key) for key in columns if book.has(sheet, key) or key == "date"}
            if sheet is INCOME_EXPENSE:
                values["source"] = "import"
                check_bookable(row, stored, problems)
            changes.inserts.append(values | {"origin": WORKBOOK})
        counts.created += 1
    date_column = columns["date"]
    for record in left:
        day = record[date_column]
        if day.year not in years:
            continue
        label = f"{record['amount']} {record['memo']}"
        if not refuse_closed_removal(problems, stored, sheet, label, day):
            changes.deletes.append(record["id"])
            plan.touched.append(Touched(sheet, RECORD_MODELS[sheet.key], record["id"], label, day))
            counts.removed += 1


def surplus_changes(stored: Stored, plan: Plan, before: Callable[[int], Decimal]) -> list[SurplusChange]:
    """Return 本年盈余 before and after the plan, for each year whose income and expense it changes.

    `before` reads a year's 本年盈余 from the books; each 收支 row books its signed amount to profit and loss, so
    the rows the plan adds and removes move it by their sum.
    """

    def signed(category: Any, amount: Decimal) -> Decimal:
        return amount if IncomeCategory(category).is_income else -amount

    delta: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for values in plan.income.inserts:
        delta[values["recorded_on"].year] += signed(values["category"], values["amount"])
    removed = set(plan.income.deletes)
    for record in stored.income:
        if record["id"] in removed:
            delta[record["recorded_on"].year] -= signed(record["category"], record["amount"])
    return [
        SurplusChange(year, before(year), before(year) + change) for year, change in sorted(delta.items()) if change
    ]
