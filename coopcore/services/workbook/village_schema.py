"""The township's weak-village workbook: its sheets, reading them into typed rows, and the empty template.

It reuses the accountants' workbook machinery (coopcore.services.workbook): columns and cell types, the cell
converters (floats from Excel become exact Decimals or are refused), problems with sheet, row and column, and
the sheet layout of the template. Only the sheet list differs, so the reading loop is a small one of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]

from coopcore.i18n import Lang
from coopcore.models import FundingSource, PlanStatus, ProjectKind, ProjectStatus, VillageIncomeCategory
from coopcore.services.safe_cells import text_cell
from coopcore.services.workbook.cells import CellError, converter
from coopcore.services.workbook.guard import load_sheet, open_workbook
from coopcore.services.workbook.reader import (
    DUPLICATE_COLUMN,
    DUPLICATE_SHEET,
    EXTRA_COLUMN,
    HEADER_SEARCH_ROWS,
    MISSING_COLUMN,
    NO_HEADER,
    REQUIRED,
    UNKNOWN_SHEET,
    check_merged,
    normal,
)
from coopcore.services.workbook.report import Labels, Problems
from coopcore.services.workbook.schema import YES_NO, CellType, Choice, Column, Sheet
from coopcore.services.workbook.template import DATE_FORMAT, cell_value, new_sheet

NO_SHEETS = "The workbook has none of the sheets {sheets}."

TEMPLATES = (NO_SHEETS,)


@dataclass
class SheetRow:
    """One data row: its Excel row number and its values by column key (None: blank; absent: unreadable)."""

    number: int
    values: dict[str, Any]

    def get(self, key: str) -> Any:
        return self.values.get(key)


@dataclass
class SheetRows:
    """The rows of one sheet and which of its columns the workbook has."""

    sheet: Sheet
    columns: frozenset[str] = frozenset()
    rows: list[SheetRow] = field(default_factory=list)
    header_row: int | None = None  # as Excel numbers it

    def has(self, key: str) -> bool:
        """True if the sheet has the column: a column left out leaves the stored field as it is."""
        return key in self.columns


T, M, Y, D, END = CellType.TEXT, CellType.MONEY, CellType.YEAR, CellType.DATE, CellType.END_DATE
CHOICE = CellType.CHOICE


def _choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value, zh) for value, zh in pairs)


PLAN_STATUSES = _choices(
    (PlanStatus.FILED, "已建档"),
    (PlanStatus.IN_PROGRESS, "推进中"),
    (PlanStatus.ACHIEVED, "已摘帽"),
    (PlanStatus.MONITORED, "巩固监测"),
)
PROJECT_KINDS = _choices(
    (ProjectKind.PARTY_BRANCH_COOPERATIVE, "党支部领办合作社"),
    (ProjectKind.PROPERTY_LEASE, "物业租赁"),
    (ProjectKind.LAND_CONSOLIDATION, "土地整理"),
    (ProjectKind.SERVICE, "社会化服务"),
    (ProjectKind.ORDER_FARMING, "订单农业"),
    (ProjectKind.TOURISM, "乡村旅游"),
)
PROJECT_STATUSES = _choices(
    (ProjectStatus.PLANNED, "计划"),
    (ProjectStatus.UNDERWAY, "实施中"),
    (ProjectStatus.COMPLETED, "已完工"),
    (ProjectStatus.SUSPENDED, "暂停"),
)
FUNDING_SOURCES = _choices(
    (FundingSource.CONNECTION_FUND, "衔接资金"),
    (FundingSource.COLLECTIVE_SUPPORT_FUND, "扶持村级集体经济发展资金"),
    (FundingSource.SOCIAL_AID, "社会帮扶"),
    (FundingSource.SELF_RAISED, "集体自筹"),
)
INCOME_CATEGORIES = _choices(
    (VillageIncomeCategory.OPERATING, "经营收入"),
    (VillageIncomeCategory.INVESTMENT, "投资收益"),
    (VillageIncomeCategory.RENT, "发包及租赁收入"),
    (VillageIncomeCategory.SUBSIDY, "补助收入"),
    (VillageIncomeCategory.OTHER, "其他收入"),
)


def _place() -> tuple[Column, Column]:
    return (
        Column("township", "乡镇", T, True, max_length=60, example="凤鸣街道"),
        Column("village", "村", T, True, max_length=60, example="后庄村"),
    )


def _plan_year() -> Column:
    # Optional on the project and funding sheets: blank means the village's latest plan.
    return Column("baseline_year", "方案基期年度", Y, example=2022)


PLANS = Sheet(
    "plans",
    "提升方案",
    (
        *_place(),
        Column("baseline_year", "基期年度", Y, True, example=2022),
        Column("baseline_income", "基期经营性收入", M, True, example=Decimal("21000.00")),
        Column("target_income", "目标收入", M, True, example=Decimal("100000.00")),
        Column("target_year", "目标年度", Y, True, example=2025),
        Column("filed_on", "建档日期", D, True, example=dt.date(2022, 3, 1)),
        Column("status", "方案状态", CHOICE, choices=PLAN_STATUSES, example=PlanStatus.IN_PROGRESS.value),
        Column("causes", "薄弱原因", T, max_length=200, example="资源、区位"),
        Column("measures", "提升措施", T, example="1. 党支部领办合作社苹果标准化基地"),
        Column("cadres", "包村干部及第一书记", T, max_length=200, example="包村干部：王芳；第一书记：李强"),
        Column("cooperatives", "联系合作社信用代码", T, example=""),
        Column("enterprises", "联系龙头企业", T, example=""),
    ),
)
PROJECTS = Sheet(
    "projects",
    "产业项目",
    (
        *_place(),
        _plan_year(),
        Column("name", "项目名称", T, True, max_length=100, example="后庄村苹果标准化基地"),
        Column("kind", "项目类型", CHOICE, True, choices=PROJECT_KINDS, example=ProjectKind.SERVICE.value),
        Column("budget", "预算", M, True, example=Decimal("300000.00")),
        Column("start_on", "开工日期", END, True, example=dt.date(2023, 3, 1)),
        Column("due_on", "计划完成日期", END, True, example=dt.date(2024, 6, 30)),
        Column("completed_on", "实际完成日期", D, example=None),
        Column("status", "项目状态", CHOICE, choices=PROJECT_STATUSES, example=ProjectStatus.UNDERWAY.value),
    ),
)
FUNDING = Sheet(
    "funding",
    "资金",
    (
        *_place(),
        _plan_year(),
        Column("project", "项目名称", T, max_length=100, example="后庄村苹果标准化基地"),
        Column(
            "source", "资金来源", CHOICE, True, choices=FUNDING_SOURCES, example=FundingSource.CONNECTION_FUND.value
        ),
        Column("allocated", "安排金额", M, True, example=Decimal("240000.00")),
        Column("received", "到位金额", M, example=Decimal("240000.00")),
        Column("spent", "已支出金额", M, example=Decimal("120000.00")),
        Column("received_on", "到位日期", D, example=dt.date(2023, 2, 10)),
        Column("forms_poverty_asset", "形成扶贫项目资产", CellType.FLAG, choices=YES_NO, example="yes"),
    ),
)
INCOME = Sheet(
    "income",
    "村集体收入",
    (
        *_place(),
        Column("year", "年度", Y, True, example=2024),
        Column("category", "收入类别", CHOICE, True, choices=INCOME_CATEGORIES, example="operating"),
        Column("amount", "金额", M, True, example=Decimal("32000.00")),
        Column("memo", "摘要", T, max_length=200, example="农机服务收入"),
    ),
)
VILLAGE_SHEETS = (PLANS, PROJECTS, FUNDING, INCOME)
INSTRUCTIONS = {
    "zh": (
        "使用说明（薄弱村提升方案）",
        "1. 各表均可选填；乡镇、村须与系统中的名称一致。",
        "2. 表头带 * 的列必填；有下拉列表的列请从列表中选择；第 2 行是示例，请改成实际数据或删除。",
        "3. 提升方案按“村 + 基期年度”更新；产业项目按“方案 + 项目名称”更新；资金按“方案 + 项目 + 来源”更新。",
        "4. “村集体收入”表列出的村和年度，以前用工作簿导入的收入以本表为准整体替换；"
        "在后台手工录入的收入和合作社分红、土地保底租金等自动关联的收入不受影响。",
        "5. 补助收入和其他收入照录，但不计入经营性收入。联系合作社填统一社会信用代码，多个用顿号分隔。",
        "6. 先试导入检查：coop villages import 文件.xlsx --dry-run；有错误时不写入任何数据。",
    ),
    "en": (
        "How to fill this workbook (weak-village improvement plans)",
        "1. Every sheet is optional; township and village names must match those in the database.",
        "2. Columns marked * are required; pick listed values from the drop-down; row 2 is an example.",
        "3. Plans update by village + baseline year, projects by plan + name, funding by plan + project + source.",
        "4. The income sheet replaces the income earlier workbooks brought in for each village and year it lists; "
        "income typed in the admin and linked income (cooperative dividends, land rent) is never touched.",
        "5. Subsidy and other income are kept but do not count as operating income. Linked cooperatives: credit "
        "codes separated by 、 or commas.",
        "6. Check first: coop villages import FILE.xlsx --dry-run; nothing is written while there are errors.",
    ),
}

_SHEET_NAMES = {name: sheet for sheet in VILLAGE_SHEETS for name in (normal(sheet.zh), sheet.key)}


def read_village_workbook(path: Path, problems: Problems, *, today: dt.date) -> dict[str, SheetRows]:
    """Read the sheets of the village format from an .xlsx file; problems are collected, never raised."""
    workbook = open_workbook(path, problems)
    if workbook is None:
        return {}
    found: dict[str, list[str]] = {}
    for name in workbook.sheet_names:
        sheet = _SHEET_NAMES.get(normal(name))
        if sheet is not None:
            found.setdefault(sheet.key, []).append(name)
        elif normal(name) not in ("说明", "instructions"):
            problems.warning(UNKNOWN_SHEET, value=name)
    book: dict[str, SheetRows] = {}
    for sheet in VILLAGE_SHEETS:
        names = found.get(sheet.key, [])
        if len(names) > 1:
            problems.error(DUPLICATE_SHEET, sheet=sheet, sheet_name=sheet, names=", ".join(names))
        elif names and (calamine_sheet := load_sheet(workbook, names[0], problems)) is not None:
            data = _read_sheet(sheet, calamine_sheet.to_python(), problems, today)
            check_merged(sheet, calamine_sheet.merged_cell_ranges or (), data.header_row, problems)
            book[sheet.key] = data
    workbook.close()
    if not found and not problems.blocking:
        problems.error(NO_SHEETS, sheets=Labels(VILLAGE_SHEETS))
    return book


def _read_sheet(sheet: Sheet, rows: list[list[Any]], problems: Problems, today: dt.date) -> SheetRows:
    data = SheetRows(sheet)
    known = {n: column for column in sheet.columns for n in (normal(column.zh), column.key)}
    header_index = max(
        range(min(len(rows), HEADER_SEARCH_ROWS)),
        key=lambda i: sum(1 for cell in rows[i] if isinstance(cell, str) and normal(cell) in known),
        default=None,
    )
    if header_index is None or not any(isinstance(c, str) and normal(c) in known for c in rows[header_index]):
        problems.error(NO_HEADER, sheet=sheet, columns=Labels(tuple(c for c in sheet.columns if c.required)))
        return data
    mapped: list[tuple[int, Column]] = []
    for position, cell in enumerate(rows[header_index]):
        column = known.get(normal(str(cell))) if str(cell).strip() else None
        if column is None and str(cell).strip():
            problems.warning(EXTRA_COLUMN, sheet=sheet, row=header_index + 1, value=str(cell), sheet_name=sheet)
        elif column is not None and column.key in {c.key for _, c in mapped}:
            problems.error(DUPLICATE_COLUMN, sheet=sheet, row=header_index + 1, column=column, column_name=column)
        elif column is not None:
            mapped.append((position, column))
    data.columns = frozenset(column.key for _, column in mapped)
    data.header_row = header_index + 1
    for column in sheet.columns:
        if column.required and column.key not in data.columns:
            problems.error(MISSING_COLUMN, sheet=sheet, column=column, column_name=column, sheet_name=sheet)
    converters = [(position, column, converter(column, today=today)) for position, column in mapped]
    for number, raw in enumerate(rows[header_index + 1 :], start=header_index + 2):
        row = _read_row(sheet, number, raw, converters, problems)
        if row is not None:
            data.rows.append(row)
    return data


def _read_row(
    sheet: Sheet, number: int, raw: list[Any], converters: Sequence[tuple[int, Column, Any]], problems: Problems
) -> SheetRow | None:
    values: dict[str, Any] = {}
    blank = True
    for position, column, convert in converters:
        cell = raw[position] if position < len(raw) else None
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            values[column.key] = None
            continue
        blank = False
        try:
            values[column.key] = convert(cell)
        except CellError as error:  # left out of the row: "given but wrong" is not "not given"
            problems.error(error.template, sheet=sheet, row=number, column=column, **error.fields)
    if blank:
        return None  # an empty line
    for _, column, _ in converters:
        if column.required and column.key in values and values[column.key] is None:
            problems.error(REQUIRED, sheet=sheet, row=number, column=column)
    return SheetRow(number, values)


def write_village_template(path: Path | str, lang: Lang = "zh") -> None:
    """Write an empty village workbook: instructions, every sheet with drop-down lists and one example row."""
    workbook = Workbook(write_only=True)
    notes = workbook.create_sheet("说明" if lang == "zh" else "instructions")
    notes.column_dimensions["A"].width = 120
    for line in INSTRUCTIONS[lang]:
        notes.append([line])
    for sheet in VILLAGE_SHEETS:
        worksheet = new_sheet(workbook, sheet, lang, notes=False)
        example = []
        for column in sheet.columns:
            cell = text_cell(worksheet, cell_value(column, column.example, lang))
            if column.type in (D, END):
                cell.number_format = DATE_FORMAT
            example.append(cell)
        worksheet.append(example)
    workbook.save(str(path))
