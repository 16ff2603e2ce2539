"""Workbooks for the office: real numbers with ¥ formats, frozen headers, set widths, A4 print setup.

openpyxl's write-only mode streams rows to disk, so 2,000 members take no more memory than 20. Amounts are
written as Decimal (the file holds 12345.67 exactly); only the cell format shows ¥ and the thousands separator.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from coopcore.i18n import Lang
from coopcore.services.safe_cells import text_cell
from reports import text
from reports.pdf import Cell, Column

FORMATS = {
    "money": '"¥"#,##0.00;[Red]-"¥"#,##0.00',
    "wan": "#,##0.00;[Red]-#,##0.00",  # 万元: the unit is in the caption, no ¥
    "quantity": "#,##0.00##",
    "percent": "0.00%",
    "count": "0",
    "date": "yyyy-mm-dd",
    "text": "@",
}
FONT = "等线"  # Excel's default Chinese UI font; LibreOffice falls back to any CJK font
THIN = Side(style="thin", color="888888")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
TOTAL_FILL = PatternFill("solid", fgColor="DDDDDD")
FORBIDDEN = str.maketrans({ch: "_" for ch in "[]:*?/\\"})


class Sheet:
    """One worksheet: a title line, one header row, typed rows, and a totals row of the summed columns."""

    def __init__(self, book: Workbook, name: str, columns: Sequence[Column], caption: str, lang: Lang) -> None:
        self.sheet: WriteOnlyWorksheet = book.create_sheet(name.translate(FORBIDDEN)[:31])
        self.columns, self.lang = columns, lang
        self.totals: list[Decimal | None] = [Decimal(0) if c.total else None for c in columns]
        for index, column in enumerate(columns, start=1):
            width = column.xlsx_width or max(8.0, column.width / 5.2)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "C3" if len(columns) > 6 else "A3"  # title and header stay; codes and names too
        self.sheet.print_title_rows = "1:2"
        self.sheet.page_setup.orientation = "landscape" if len(columns) > 6 else "portrait"
        self.sheet.page_setup.paperSize = "9"  # A4
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        title = text_cell(self.sheet, caption)
        title.font = Font(name=FONT, size=13, bold=True)
        self.sheet.append([title])
        header = []
        for column in columns:
            cell = text_cell(self.sheet, column.header)
            cell.font = Font(name=FONT, bold=True)
            cell.fill, cell.border = HEADER_FILL, BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        self.sheet.append(header)

    def row(self, values: Sequence[Cell], *, total: bool = False) -> None:
        """Append a row; numbers stay numbers, summed columns are added to the totals."""
        cells = []
        for index, (value, column) in enumerate(zip(values, self.columns, strict=True)):
            subtotal = self.totals[index]
            if not total and subtotal is not None and isinstance(value, Decimal | int):
                self.totals[index] = subtotal + value
            cells.append(self._cell(value, column, total))
        self.sheet.append(cells)

    def total_row(self, label: str = "Total") -> None:
        """Append the totals of the summed columns, as numbers (not formulas: the file carries the figures)."""
        values: list[Cell] = list(self.totals)
        values[0] = text.tr(label, self.lang)
        self.row(values, total=True)

    def _cell(self, value: Cell, column: Column, total: bool) -> Any:
        if column.kind == "percent" and isinstance(value, Decimal):
            value = value / 100  # stored as a fraction, shown as 33.76%
        cell = text_cell(self.sheet, value)  # names and memos are text, never formulas
        cell.font = Font(name=FONT, bold=total)
        cell.border = BORDER
        if total:
            cell.fill = TOTAL_FILL
        if column.kind != "text" and not isinstance(value, str):
            cell.number_format = FORMATS[column.kind]
            if column.numeric:
                cell.alignment = Alignment(horizontal="right")
        return cell


def new_book() -> Workbook:
    """A streaming workbook with no sheets yet."""
    return Workbook(write_only=True)


def save(book: Workbook, path: Path) -> Path:
    """Write the workbook and return its path."""
    book.save(path)
    return path
