"""Filling the three statements from what the books hold: pure, Decimal in and out, no database.

The service (coopcore.services.statements) reads the balances and the period's vouchers; these functions apply the
lines of coopcore.rules.statements.lines to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from coopcore.money import ZERO
from coopcore.rules.entries.accounts import first_level
from coopcore.rules.statements.lines import (
    BALANCE_SHEET,
    COLUMN_ACCOUNTS,
    DISTRIBUTION,
    EQUITY_COLUMNS,
    EQUITY_ROWS,
    EQUITY_SUB_ITEMS,
    MEMBER_ACCOUNTS,
    SURPLUS_STATEMENT,
    TOTAL,
    Fill,
    Line,
    SubItem,
    accounts_read,
)

Lines = dict[int, Decimal]


@dataclass(frozen=True)
class Movement:
    """A voucher of the period that books to an equity account, as written: each account's debit and credit by
    code, a red reversal (红字冲销) negative on the side it cancels. `subsidy`: property from a direct fiscal
    subsidy booked straight to 311 (its source says so; the accounts alone do not tell it from a donation)."""

    amounts: Mapping[str, tuple[Decimal, Decimal]]
    subsidy: bool = False

    def on(self, prefix: str) -> tuple[Decimal, Decimal]:
        """The debits and credits on an account and its detail accounts."""
        found = [amounts for code, amounts in self.amounts.items() if code.startswith(prefix)]
        return sum((debit for debit, _ in found), ZERO), sum((credit for _, credit in found), ZERO)

    def books(self, prefix: str, side: str = "") -> bool:
        """Whether the voucher books to the account (on that side, "debit" or "credit", if one is named)."""
        codes = [code for code in self.amounts if code.startswith(prefix)]
        if not side:
            return bool(codes)
        debit, credit = self.on(prefix)
        return bool(codes) and bool(debit if side == "debit" else credit)


@dataclass(frozen=True)
class Books:
    """What the statements of a period read from the books.

    Balances are debit − credit by first-level account code, at the start of the year and at the end of the
    period; `members_*` are the balances of 成员往来 (114) per member; profit_and_loss is the period's movement
    of each profit-and-loss account (debit − credit) without the vouchers that carry it into 331.
    """

    opening: Mapping[str, Decimal]
    closing: Mapping[str, Decimal]
    members_opening: Sequence[Decimal] = ()
    members_closing: Sequence[Decimal] = ()
    profit_and_loss: Mapping[str, Decimal] = field(default_factory=dict)
    movements: Sequence[Movement] = ()


@dataclass(frozen=True)
class EquityChanges:
    """成员权益变动表: rows (opening, increase, decrease, closing) by column key, and the sub-items of each
    column's increase and decrease by their keys."""

    rows: dict[str, dict[str, Decimal]]
    increase: dict[str, dict[str, Decimal]]
    decrease: dict[str, dict[str, Decimal]]


def fill_balance_sheet(balances: Mapping[str, Decimal], members: Sequence[Decimal]) -> Lines:
    """One column of 01表 from the balances (debit − credit by first-level code) and 114's members' balances."""
    debits, credits = split_members(balances.get(MEMBER_ACCOUNTS, ZERO), members)

    def value(line: Line) -> Decimal:
        found = _accounts(line, balances)
        if line.fill is Fill.MEMBER_DEBITS:
            found += debits
        elif line.fill is Fill.MEMBER_CREDITS:
            found += credits
        return found

    return evaluate(BALANCE_SHEET, value)


def split_members(total: Decimal, members: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """成员往来 as the balance sheet shows it: the members' debit balances (line 2) and credit balances (line 24),
    each positive, never netted (§15 rule 22). What no member holds (lines without one, if any) goes to the
    side of its own balance, so that the two still differ by the account's balance."""
    debits = sum((value for value in members if value > 0), ZERO)
    credits = -sum((value for value in members if value < 0), ZERO)
    rest = total - sum(members, ZERO)
    return (debits + rest, credits) if rest > 0 else (debits, credits - rest)


def fill_surplus_statement(
    profit_and_loss: Mapping[str, Decimal], movements: Iterable[Movement], opening_undistributed: Decimal
) -> Lines:
    """One column of 02表 from the period's profit and loss, its equity vouchers and 01表 line 40's opening."""
    distribution = [movement for movement in movements if movement.books(DISTRIBUTION)]

    def value(line: Line) -> Decimal:
        if line.fill is Fill.OPENING_UNDISTRIBUTED:
            return opening_undistributed
        if line.distributed is not None:
            read = line.distributed
            found = ZERO
            for movement in distribution:
                debit, credit = movement.on(read.account)
                found += credit if read.credit else debit
            return found
        return _accounts(line, profit_and_loss)

    return evaluate(SURPLUS_STATEMENT, value)


def fill_equity_changes(opening: Lines, surplus: Lines, movements: Sequence[Movement]) -> EquityChanges:
    """03表 from 01表's opening column, 02表's column and the period's equity vouchers ([KJ 03表 编制说明 3]:
    from the movements of 股金, 专项基金, 资本公积, 盈余公积 and 盈余分配)."""
    rows: dict[str, dict[str, Decimal]] = {row: {} for row in EQUITY_ROWS}
    increase: dict[str, dict[str, Decimal]] = {}
    decrease: dict[str, dict[str, Decimal]] = {}
    for column in EQUITY_COLUMNS:
        if column.key in COLUMN_ACCOUNTS:
            account = COLUMN_ACCOUNTS[column.key]
            debits = sum((movement.on(account)[0] for movement in movements), ZERO)
            credits = sum((movement.on(account)[1] for movement in movements), ZERO)
        else:  # 未分配盈余: what 02表 says of the year
            credits = surplus[12] + surplus[14]
            debits = surplus[15] + surplus[17] + surplus[18] + surplus[19]
        rows["opening"][column.key] = opening[column.line]
        rows["increase"][column.key] = credits
        rows["decrease"][column.key] = debits
        rows["closing"][column.key] = opening[column.line] + credits - debits
        increase[column.key] = _sub_items(column.key, True, credits, surplus, movements)
        decrease[column.key] = _sub_items(column.key, False, debits, surplus, movements)
    for row in rows.values():
        row[TOTAL] = sum(row.values(), ZERO)
    return EquityChanges(rows, increase, decrease)


def unplaced(books: Books) -> dict[str, Decimal]:
    """The balances of accounts no line of 01表 reads, by account code (181 待处理财产损溢 must be cleared before
    the statements are drawn up); empty when 01表 shows everything the books hold."""
    read = accounts_read(BALANCE_SHEET)
    found: dict[str, Decimal] = {}
    for balances in (books.opening, books.closing):
        for code, balance in balances.items():
            if balance and first_level(code) not in read:
                found.setdefault(first_level(code), balance)
    return found


def _sub_items(
    column: str, increasing: bool, total: Decimal, surplus: Lines, movements: Sequence[Movement]
) -> dict[str, Decimal]:
    items = [item for item in EQUITY_SUB_ITEMS if item.column == column and item.increase is increasing]
    found: dict[str, Decimal] = {}
    for item in items:
        if item.line is not None:
            found[item.key] = surplus[item.line]
        elif not item.rest:
            found[item.key] = sum((_taken(item, movement) for movement in movements), ZERO)
    for item in items:
        if item.rest:
            found[item.key] = total - sum(found.values(), ZERO)
    return {item.key: found[item.key] for item in items}


def _taken(item: SubItem, movement: Movement) -> Decimal:
    """What a sub-item takes of a voucher: the column account's credits (an increase) or debits (a decrease)."""
    if not (movement.books(item.counter, item.counter_side) or (item.subsidy and movement.subsidy)):
        return ZERO
    debit, credit = movement.on(COLUMN_ACCOUNTS[item.column])
    return credit if item.increase else debit


def _accounts(line: Line, balances: Mapping[str, Decimal]) -> Decimal:
    found = sum((balances.get(code, ZERO) for code in line.accounts), ZERO)
    return -found if line.credit else found


def evaluate(lines: Sequence[Line], value: Callable[[Line], Decimal]) -> Lines:
    """Every line of a form, in its order: a line's value, or for a total the lines above it it adds and subtracts."""
    found: Lines = {}
    for line in lines:
        if line.adds or line.subtracts:
            added = sum((found[number] for number in line.adds), ZERO)
            found[line.number] = added - sum((found[number] for number in line.subtracts), ZERO)
        else:
            found[line.number] = value(line)
    return found
