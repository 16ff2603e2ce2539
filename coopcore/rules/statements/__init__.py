"""The statements (会计报表, [KJ 第五十五—五十八条; 附录 二]): 资产负债表 (会农社01表), 盈余及盈余分配表
(会农社02表) and 成员权益变动表 (会农社03表), their lines as data and how the books fill them (pure)."""

from __future__ import annotations

from coopcore.rules.statements.fill import (
    Books,
    EquityChanges,
    Lines,
    Movement,
    fill_balance_sheet,
    fill_equity_changes,
    fill_surplus_statement,
    split_members,
    unplaced,
)
from coopcore.rules.statements.lines import (
    ASSETS_END,
    BALANCE_SHEET,
    EQUITY_COLUMNS,
    EQUITY_ROWS,
    EQUITY_SUB_ITEMS,
    SURPLUS_STATEMENT,
    TOTAL,
    Column,
    Line,
    Place,
    SubItem,
    balance_sheet_rows,
)
from coopcore.rules.statements.statements import Statements, fill_statements

__all__ = [
    "ASSETS_END",
    "BALANCE_SHEET",
    "EQUITY_COLUMNS",
    "EQUITY_ROWS",
    "EQUITY_SUB_ITEMS",
    "SURPLUS_STATEMENT",
    "TOTAL",
    "Books",
    "Column",
    "EquityChanges",
    "Line",
    "Lines",
    "Movement",
    "Place",
    "Statements",
    "SubItem",
    "balance_sheet_rows",
    "fill_balance_sheet",
    "fill_equity_changes",
    "fill_statements",
    "fill_surplus_statement",
    "split_members",
    "unplaced",
]
