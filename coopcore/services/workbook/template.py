"""The one template writer (every format: instructions, notes, drop-down lists, an example row) and the sheet layout.

Write-only mode streams rows to the file, so an export of 200,000 tickets does not hold them all as cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from coopcore.i18n import Lang
from coopcore.services.safe_cells import CellValue, text_cell
from coopcore.services.workbook.format import CellType, Column, Format, Sheet

LAST_ROW = 1_048_576  # Excel's last row: drop-down lists cover the whole column
DATE_FORMAT = "yyyy-mm-dd"
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_WIDE_TYPES = (CellType.TEXT, CellType.IDENTIFIER)
INSTRUCTIONS_WIDTH = 120  # characters: the longest line of instructions fits without wrapping
Notes = Mapping[tuple[str, str], tuple[str, str]]


def write_template(path: Path | str, format: Format, lang: Lang = "zh") -> None:
    """Write an empty workbook of the format: instructions, every sheet with notes, drop-down lists, an example row."""
    workbook = Workbook(write_only=True)
    instructions = workbook.create_sheet("说明" if lang == "zh" else "instructions")
    instructions.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    for line in format.instructions[lang]:
        instructions.append([line])
    for sheet in format.sheets:
        worksheet = new_sheet(workbook, sheet, lang, format.notes)
        example = [text_cell(worksheet, cell_value(c, c.example, lang)) for c in sheet.columns]
        for column, cell in zip(sheet.columns, example, strict=True):
            cell.font = _EXAMPLE_FONT
            if column.type in (CellType.DATE, CellType.END_DATE):
                cell.number_format = DATE_FORMAT
        worksheet.append(example)
    workbook.save(str(path))


def new_sheet(workbook: Workbook, sheet: Sheet, lang: Lang, notes: Notes | None = None) -> WriteOnlyWorksheet:
    """Add a sheet with its styled header row (and, for the template, the format's note on each header)."""
    worksheet: WriteOnlyWorksheet = workbook.create_sheet(sheet.label(lang))  # the workbooks here are write-only
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        # types-openpyxl's WriteOnlyWorksheet lacks the attributes it takes from Worksheet when it is made.
        worksheet.column_dimensions[letter].width = 22 if column.type in _WIDE_TYPES else 14  # type: ignore[attr-defined]
        if column.choices:
            worksheet.data_validations.append(_drop_down(column, lang, letter))  # type: ignore[attr-defined]
    header = []
    for column in sheet.columns:
        cell = text_cell(worksheet, column.header(lang))
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        note = notes.get((sheet.key, column.key)) if notes else None
        if note is not None:
            cell.comment = _comment(column, note, lang)
        header.append(cell)
    worksheet.append(header)
    return worksheet


def _comment(column: Column, note: tuple[str, str], lang: Lang) -> Comment:
    zh, en = note
    alias = f"{column.zh} [{column.key}]"
    required = ("必填。" if lang == "zh" else "Required. ") if column.required else ""
    comment = Comment(f"{alias}\n{required}{zh if lang == 'zh' else en}", "coopcore")
    comment.width, comment.height = 260, 110
    return comment


def _drop_down(column: Column, lang: Lang, letter: str) -> DataValidation:
    labels = ",".join(choice.label(lang) for choice in column.choices)
    validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=not column.required)
    validation.error = "请从下拉列表中选择" if lang == "zh" else "Pick a value from the list"
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    return validation


def cell_value(column: Column, value: object, lang: Lang) -> CellValue:
    """Return a stored value as the workbook shows it: labels for choices, 是/否 for flags, plain numbers."""
    if value is None or value == "":
        return None
    if column.type is CellType.MONTH and isinstance(value, dt.date):
        return f"{value.year}-{value.month:02d}"  # text: Excel would make a typed 2024-07 a date of its own choosing
    if column.type is CellType.FLAG:
        value = "yes" if value in (True, "yes") else "no"
    if column.choices:
        text = str(value)
        return next((choice.label(lang) for choice in column.choices if choice.value == text), text)
    if isinstance(value, Decimal | int | dt.date | str):
        return value
    return str(value)
