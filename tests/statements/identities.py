"""The identities every set of statements keeps (issue 16, "Done when"), checked on any books."""

from __future__ import annotations

from decimal import Decimal

from coopcore.rules.statements import BALANCE_SHEET, EQUITY_COLUMNS, SURPLUS_STATEMENT, TOTAL, Statements

SUMS = {5: (1, 2, 3, 4), 21: (6, 9, 15, 18, 19, 20), 31: tuple(range(23, 31)), 34: (32, 33), 35: (31, 34),
        41: (36, 37, 38, 39, 40)}  # fmt: skip


def assert_identities(found: Statements, before: Statements | None = None) -> None:
    """01表 balances and adds up, 02表 follows its formulas, 03表 meets 01表, and each year meets the one before."""
    where = (found.year, found.month)
    for column in (found.closing, found.opening):
        assert set(column) == {line.number for line in BALANCE_SHEET}, where
        assert column[22] == column[42], (where, column[22], column[42])  # 资产总计 = 负债和所有者权益总计
        assert column[22] == column[5] + column[21] and column[15] == column[12] + column[13] + column[14], where
        for total, parts in SUMS.items():
            assert column[total] == sum((column[n] for n in parts), Decimal(0)), (where, total)
    for column in (found.this_year, found.last_year):
        assert set(column) == {line.number for line in SURPLUS_STATEMENT}, where
        c = column
        assert c[7] == c[1] + c[2] - c[3] - c[4] - c[5] - c[6] and c[10] == c[7] + c[8] - c[9], where
        assert c[12] == c[10] - c[11] and c[16] == c[12] + c[13] + c[14] - c[15], where
        assert c[20] == c[16] - c[17] - c[18] - c[19], where
    rows = found.equity.rows
    for column in EQUITY_COLUMNS:
        assert rows["opening"][column.key] == found.opening[column.line], (where, column.key)
        assert rows["closing"][column.key] == found.closing[column.line], (where, column.key)
    assert rows["closing"][TOTAL] == found.closing[41] and rows["opening"][TOTAL] == found.opening[41], where
    # 02表 line 20 is what 01表 line 40 holds at the end, line 13 what it held at the start.
    assert found.this_year[20] == found.closing[40] and found.this_year[13] == found.opening[40], where
    assert found.unplaced == {}, (where, found.unplaced)
    if before is not None:
        assert found.last_year == before.this_year, where  # 上年金额 = last year's 本年金额
