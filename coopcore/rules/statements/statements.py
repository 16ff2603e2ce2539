"""The three statements of a period as one value: filled from the books, with last year's column beside."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopcore.money import ZERO
from coopcore.rules.statements.fill import (
    Books,
    EquityChanges,
    Lines,
    fill_balance_sheet,
    fill_equity_changes,
    fill_surplus_statement,
    unplaced,
)
from coopcore.rules.statements.lines import DISTRIBUTION, SURPLUS_STATEMENT


@dataclass(frozen=True)
class Statements:
    """资产负债表 (期末余额, 年初余额), 盈余及盈余分配表 (本年金额, 上年金额) and 成员权益变动表 of a year, or of
    its first months (month < 12: the balance sheet at that month's end, the others for the year to date)."""

    year: int
    month: int
    closing: Lines  # 01表 期末余额 by line number
    opening: Lines  # 01表 年初余额
    this_year: Lines  # 02表 本年金额
    last_year: Lines  # 02表 上年金额 (the same months of the year before)
    equity: EquityChanges  # 03表
    unplaced: dict[str, Decimal]  # what no line shows, by account code (coopcore.rules.statements.fill.unplaced)

    @property
    def balanced(self) -> bool:
        """资产总计 = 负债和所有者权益总计 in both columns."""
        return self.closing[22] == self.closing[42] and self.opening[22] == self.opening[42]


def fill_statements(year: int, month: int, books: Books, last_year: Lines | None = None) -> Statements:
    """Fill the three statements of a period from its books; last_year is the year before's 02表 (None: zeros)."""
    closing = fill_balance_sheet(books.closing, books.members_closing)
    opening = fill_balance_sheet(books.opening, books.members_opening)
    this_year = fill_surplus_statement(books.profit_and_loss, books.movements, opening[40])
    before = last_year if last_year is not None else {line.number: ZERO for line in SURPLUS_STATEMENT}
    equity = fill_equity_changes(opening, this_year, books.movements)
    left = unplaced(books)
    # 02表 line 20 is what 01表 line 40 holds at the end, unless 332 or 331 moved against accounts no line of 02表
    # reads, or a voucher books a distribution with other movements of the accounts it reads: say so.
    if this_year[20] != closing[40]:
        left[DISTRIBUTION] = closing[40] - this_year[20]
    return Statements(year, month, closing, opening, this_year, before, equity, left)
