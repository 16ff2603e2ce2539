"""How the admin's templates lay out the statements (coop/_statements.html): the forms' lines and rows, as the
coopcore.rules.statements tables give them, and the words the pages share with `coop statements`."""

from __future__ import annotations

from typing import Any

from coopcore.commands.statements_tables import OPENING_UNDISTRIBUTED, UNAUDITED
from coopcore.rules.statements import (
    EQUITY_COLUMNS,
    EQUITY_ROWS,
    EQUITY_SUB_ITEMS,
    SURPLUS_STATEMENT,
    TOTAL,
    balance_sheet_rows,
)

# What the templates lay out: the forms' lines, rows and sub-items, and the words they share with the CLI.
FORMS: dict[str, Any] = {
    "balance_sheet": balance_sheet_rows(),
    "surplus_statement": SURPLUS_STATEMENT,
    "year_so_far": SURPLUS_STATEMENT[:OPENING_UNDISTRIBUTED],
    "equity_columns": [*(column.key for column in EQUITY_COLUMNS), TOTAL],
    "equity_headers": [*(column.item for column in EQUITY_COLUMNS), "Total"],
    "equity_rows": EQUITY_ROWS,
    "sub_items": EQUITY_SUB_ITEMS,
    "unaudited": UNAUDITED,
}
