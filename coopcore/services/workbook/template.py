"""Write workbooks with openpyxl: the empty template (notes, drop-down lists, an example row) and the sheet layout.

Write-only mode streams rows to the file, so an export of 200,000 tickets does not hold them all as cells.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

# openpyxl ships no type hints, and types-openpyxl is not among our dependencies.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]
from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.workbook.child import _WorkbookChild  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from coopcore.i18n import Lang
from coopcore.services.safe_cells import text_cell
from coopcore.services.workbook.notes import NOTES
from coopcore.services.workbook.schema import SHEETS, CellType, Column, Sheet

LAST_ROW = 1_048_576  # Excel's last row: drop-down lists cover the whole column
DATE_FORMAT = "yyyy-mm-dd"
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_WIDE_TYPES = (CellType.TEXT, CellType.IDENTIFIER)
INSTRUCTIONS = {
    "zh": (
        "使用说明",
        "1. 每个工作簿只填一个合作社；“合作社”和“成员”两张表必填，其余各表可选。",
        "2. 表头带 * 的列必填；把鼠标停在表头上可看到每列的说明；有下拉列表的列请从列表中选择。",
        "3. 第 2 行是示例，请改成本社的数据或删除。",
        "4. 日期用日期格式或写成 YYYY-MM-DD；金额最多两位小数，数量和面积最多四位小数；身份证号请设为文本格式。",
        "5. 先试导入检查：coop import 文件.xlsx --dry-run；按提示改正全部问题后再正式导入：coop import 文件.xlsx。",
        "6. 再次导入同一工作簿会按统一社会信用代码、成员编号、单据号、地块编号更新，不会重复。",
        "7. 已结账年度的数据不能再导入或修改。",
    ),
    "en": (
        "How to fill this workbook",
        "1. One cooperative per workbook; the cooperative and members sheets are required, the others optional.",
        "2. Columns marked * are required; hover over a header for its note; pick listed values from the drop-down.",
        "3. Row 2 of each sheet is an example: replace it with your data or delete it.",
        "4. Dates as date cells or YYYY-MM-DD; money to 2 decimals, quantities and areas to 4; ID numbers as text.",
        "5. Check first: coop import FILE.xlsx --dry-run; fix every problem, then: coop import FILE.xlsx.",
        "6. Importing again updates by credit code, member code, ticket number and parcel code; nothing is duplicated.",
        "7. Rows of a closed fiscal year are refused.",
    ),
}


def write_template(path: Path | str, lang: Lang = "zh") -> None:
    """Write an empty workbook with every sheet, notes on the headers, drop-down lists and one example row."""
    workbook = Workbook(write_only=True)
    notes_sheet = workbook.create_sheet("说明" if lang == "zh" else "instructions")
    notes_sheet.column_dimensions["A"].width = 110
    for line in INSTRUCTIONS[lang]:
        notes_sheet.append([line])
    for sheet in SHEETS:
        worksheet = new_sheet(workbook, sheet, lang, notes=True)
        example = [text_cell(worksheet, cell_value(c, c.example, lang)) for c in sheet.columns]
        for column, cell in zip(sheet.columns, example, strict=True):
            cell.font = _EXAMPLE_FONT
            if column.type in (CellType.DATE, CellType.END_DATE):
                cell.number_format = DATE_FORMAT
        worksheet.append(example)
    workbook.save(str(path))


def new_sheet(workbook: Workbook, sheet: Sheet, lang: Lang, *, notes: bool) -> _WorkbookChild:
    """Add a sheet with its styled header row (and, for the template, a note on each header)."""
    worksheet = workbook.create_sheet(sheet.label(lang))
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = 22 if column.type in _WIDE_TYPES else 14
        if column.choices:
            worksheet.data_validations.append(_drop_down(column, lang, letter))
    header = []
    for column in sheet.columns:
        cell = text_cell(worksheet, column.header(lang))
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        if notes:
            cell.comment = _comment(sheet, column, lang)
        header.append(cell)
    worksheet.append(header)
    return worksheet


def _comment(sheet: Sheet, column: Column, lang: Lang) -> Comment:
    zh, en = NOTES[(sheet.key, column.key)]
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


def cell_value(column: Column, value: object, lang: Lang) -> object:
    """Return a stored value as the workbook shows it: labels for choices, 是/否 for flags, plain numbers."""
    if value is None or value == "":
        return None
    if column.type is CellType.FLAG:
        value = "yes" if value in (True, "yes") else "no"
    if column.choices:
        text = str(value)
        return next((choice.label(lang) for choice in column.choices if choice.value == text), text)
    if isinstance(value, Decimal | int | dt.date | str):
        return value
    return str(value)
