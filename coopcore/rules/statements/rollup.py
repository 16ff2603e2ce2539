"""A township's roll-up (汇总表): the statements of its cooperatives added line by line, a member cooperative's
investment in a federation of the same roll-up counted once, and the figures in 万元 as upward reports take them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from coopcore.money import ZERO
from coopcore.rules.statements.fill import Books, EquityChanges, Lines, evaluate
from coopcore.rules.statements.lines import BALANCE_SHEET, TOTAL
from coopcore.rules.statements.statements import Statements, fill_statements

TEN_THOUSAND = Decimal(10000)
WAN_PLACES = Decimal("0.01")
INVESTMENTS, SHARE_CAPITAL = 6, 36  # 01表 对外投资 and 股金


def add_up(year: int, month: int, parts: Sequence[Statements]) -> Statements:
    """The statements of several cooperatives added line by line (every total stays the sum of its lines)."""
    if not parts:
        return fill_statements(year, month, Books({}, {}))
    unplaced = _sum([part.unplaced for part in parts])
    first = parts[0].equity
    equity = EquityChanges(
        {row: _sum([part.equity.rows[row] for part in parts]) for row in first.rows},
        {key: _sum([part.equity.increase[key] for part in parts]) for key in first.increase},
        {key: _sum([part.equity.decrease[key] for part in parts]) for key in first.decrease},
    )
    return Statements(
        year,
        month,
        _sum_lines([part.closing for part in parts]),
        _sum_lines([part.opening for part in parts]),
        _sum_lines([part.this_year for part in parts]),
        _sum_lines([part.last_year for part in parts]),
        equity,
        unplaced,
    )


def without_investment(found: Statements, closing: Decimal, opening: Decimal) -> Statements:
    """Take member cooperatives' share capital in a federation of the roll-up out of both 对外投资 (their 131) and
    股金 (the federation's 301), at the end and at the start, and its change out of 03表's 股金: the money is
    counted once, as the federation's assets."""
    equity = found.equity
    rows = {row: dict(values) for row, values in equity.rows.items()}
    increase = {key: dict(values) for key, values in equity.increase.items()}
    decrease = {key: dict(values) for key, values in equity.decrease.items()}
    for row, value in (("closing", closing), ("opening", opening)):
        rows[row]["share_capital"] -= value
        rows[row][TOTAL] -= value
    change = closing - opening
    moved, item, side = (increase, "member_contributions", "increase") if change >= 0 else (
        decrease, "member_withdrawals", "decrease")  # fmt: skip
    rows[side]["share_capital"] -= abs(change)
    rows[side][TOTAL] -= abs(change)
    moved["share_capital"][item] -= abs(change)
    return replace(
        found,
        closing=_less(found.closing, closing),
        opening=_less(found.opening, opening),
        equity=EquityChanges(rows, increase, decrease),
    )


def in_wan(value: Decimal) -> Decimal:
    """Yuan in 万元 to two places, half up (四舍五入), each figure on its own: a total in 万元 is the rounded
    total, not the sum of the rounded lines, and may differ from it by the rounding."""
    return (value / TEN_THOUSAND).quantize(WAN_PLACES, rounding=ROUND_HALF_UP)


def statements_in_wan(found: Statements) -> Statements:
    """Every figure of the statements in 万元 by in_wan (totals rounded on their own, not re-added)."""

    def lines(values: Lines) -> Lines:
        return {number: in_wan(value) for number, value in values.items()}

    def items(values: Mapping[str, Mapping[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
        return {key: {name: in_wan(value) for name, value in row.items()} for key, row in values.items()}

    equity = found.equity
    return replace(
        found,
        closing=lines(found.closing),
        opening=lines(found.opening),
        this_year=lines(found.this_year),
        last_year=lines(found.last_year),
        equity=EquityChanges(items(equity.rows), items(equity.increase), items(equity.decrease)),
        unplaced={code: in_wan(value) for code, value in found.unplaced.items()},
    )


def _less(lines: Lines, value: Decimal) -> Lines:
    changed = dict(lines)
    changed[INVESTMENTS] -= value
    changed[SHARE_CAPITAL] -= value
    return evaluate(BALANCE_SHEET, lambda line: changed[line.number])


def _sum(parts: Sequence[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for part in parts:
        for key, value in part.items():
            found[key] = found.get(key, ZERO) + value
    return found


def _sum_lines(parts: Sequence[Lines]) -> Lines:
    return {number: sum((part[number] for part in parts), ZERO) for number in parts[0]}
