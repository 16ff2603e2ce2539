"""The one workbook reader: every format's sheets, streamed row by row into typed rows, every problem collected.

A format only declares its sheets and columns (format.py); sheet names and headers are found in Chinese or
English, also as "成员编号 [member_code]", below a title of up to 20 rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopcore.services.workbook.cells import CellError, converter, is_blank
from coopcore.services.workbook.format import Column, Format, Sheet
from coopcore.services.workbook.guard import CANNOT_OPEN, column_letters, load_sheet, open_workbook
from coopcore.services.workbook.report import Labels, Problems
from coopcore.services.workbook.stamp import ExportStamp, is_stamp_sheet, read_stamp

# Called with (stage, sheet key, rows done, rows in all) so that a caller can draw a progress bar.
Progress = Callable[[str, str, int, int], None]

HEADER_SEARCH_ROWS = 20  # a title such as 某某合作社成员花名册 may sit above the header
PROGRESS_EVERY = 5000
INSTRUCTION_SHEETS = ("说明", "instructions")  # the template's first sheet: read past silently
_WIDE = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "＊": "*", "　": " "})

MISSING_SHEET = "The workbook has no {sheet_name} sheet; it is required."
NO_SHEETS = "The workbook has none of the sheets {sheets}."
DUPLICATE_SHEET = "The workbook has two {sheet_name} sheets ({names}); keep one."
UNKNOWN_SHEET = "The sheet {value} is not part of the format and was ignored."
NO_HEADER = "No header row was found in the first 20 rows; the columns are: {columns}."
MISSING_COLUMN = "The required column {column_name} is missing from the {sheet_name} sheet."
DUPLICATE_COLUMN = "The column {column_name} appears twice; keep one."
EXTRA_COLUMN = "The column {value} is not part of the {sheet_name} sheet and was ignored."
REQUIRED = "This cell is required."
MERGED = (
    "The cells {cells} are merged, so only the first keeps its value and the others read as empty: "
    "unmerge them, fill in every cell and import again."
)
TEMPLATES = (
    CANNOT_OPEN,
    MISSING_SHEET,
    NO_SHEETS,
    DUPLICATE_SHEET,
    UNKNOWN_SHEET,
    NO_HEADER,
    MISSING_COLUMN,
    DUPLICATE_COLUMN,
    EXTRA_COLUMN,
    REQUIRED,
    MERGED,
)
Merge = tuple[tuple[int, int], tuple[int, int]]  # calamine's merged range: 0-based (row, column) of two corners


class Row(dict[str, Any]):
    """One data row: its values by column key, and its Excel row number.

    A blank cell gives None; a cell that could not be read is left out (and reported), so that later
    checks can tell "not given" from "given but wrong". A dict, because the checks read 200,000 rows.
    """

    __slots__ = ("number",)

    def __init__(self, number: int, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.number = number

    if TYPE_CHECKING:
        # dict.get itself at run time (a C call); typed as Any because a row holds values of every type.
        def get(self, key: str, default: Any = None, /) -> Any: ...


@dataclass
class SheetData:
    """The rows of one sheet and which columns it has."""

    sheet: Sheet
    name: str  # as spelled in the workbook
    columns: frozenset[str] = frozenset()
    header_row: int | None = None  # as Excel numbers it
    rows: list[Row] = field(default_factory=list)

    def has(self, key: str) -> bool:
        """True if the sheet has the column (a missing column leaves stored values as they are)."""
        return key in self.columns


@dataclass
class Book:
    """The sheets found in the workbook, by sheet key, and the export's stamp if it carries one."""

    sheets: dict[str, SheetData] = field(default_factory=dict)
    stamp: ExportStamp | None = None

    def rows(self, sheet: Sheet) -> list[Row]:
        data = self.sheets.get(sheet.key)
        return data.rows if data else []

    def has(self, sheet: Sheet, column: str | None = None) -> bool:
        data = self.sheets.get(sheet.key)
        return data is not None and (column is None or data.has(column))


def normal(text: str) -> str:
    """Normalise a sheet name or header: full-width brackets to ASCII, no spaces or *, lower case."""
    return text.translate(_WIDE).replace("*", "").replace(" ", "").strip().lower()


def _names(text: str) -> list[str]:
    # "成员编号 [member_code]" names a column twice; either part may be what the lookup knows.
    whole = normal(text)
    if "[" in whole and whole.endswith("]"):
        first, _, alias = whole[:-1].partition("[")
        return [whole, first, alias]
    return [whole]


def column_names(sheet: Sheet) -> dict[str, Column]:
    """Return the sheet's columns by every name a header may give them: Chinese or English, normalised."""
    return {name: column for column in sheet.columns for name in (normal(column.zh), column.key)}


def read_workbook(
    path: Path, format: Format, problems: Problems, *, today: dt.date, progress: Progress | None = None
) -> Book:
    """Read every sheet of the format from an .xlsx file; problems are collected, never raised."""
    workbook = open_workbook(path, problems)
    if workbook is None:
        return Book()
    book = Book()
    sheet_names = {name: sheet for sheet in format.sheets for name in (normal(sheet.zh), sheet.key)}
    found: dict[str, list[str]] = {}
    for name in workbook.sheet_names:
        sheet = next((sheet_names[n] for n in _names(name) if n in sheet_names), None)
        if sheet is not None:
            found.setdefault(sheet.key, []).append(name)
        elif is_stamp_sheet(name):
            stamp_sheet = load_sheet(workbook, name, problems)
            book.stamp = read_stamp(stamp_sheet.iter_rows()) if stamp_sheet is not None else None
        elif normal(name) not in INSTRUCTION_SHEETS:
            problems.warning(UNKNOWN_SHEET, value=name)
    for sheet in format.sheets:
        names = found.get(sheet.key, [])
        if len(names) > 1:
            problems.error(DUPLICATE_SHEET, sheet=sheet, sheet_name=sheet, names=", ".join(names))
        elif not names and sheet.required:
            problems.error(MISSING_SHEET, sheet=sheet, sheet_name=sheet)
        elif names and (calamine_sheet := load_sheet(workbook, names[0], problems)) is not None:
            rows = calamine_sheet.iter_rows()
            data = _read_sheet(sheet, names[0], rows, calamine_sheet.height, problems, today, progress)
            check_merged(sheet, calamine_sheet.merged_cell_ranges or (), data.header_row, problems)
            book.sheets[sheet.key] = data
    workbook.close()
    if not found and not problems.blocking:  # a format whose sheets are all optional: say which it reads
        problems.error(NO_SHEETS, sheets=Labels(format.sheets))
    return book


def _read_sheet(
    sheet: Sheet,
    name: str,
    rows: Iterable[list[Any]],
    height: int,
    problems: Problems,
    today: dt.date,
    progress: Progress | None,
) -> SheetData:
    data = SheetData(sheet, name)
    iterator = iter(rows)
    head: list[list[Any]] = []
    for raw in iterator:  # calamine's rows start at the sheet's first row: index + 1 is the Excel row
        head.append(raw)
        if len(head) == HEADER_SEARCH_ROWS:
            break
    header_index, mapped = _find_header(sheet, head, problems)
    if header_index is None:
        problems.error(NO_HEADER, sheet=sheet, columns=Labels(tuple(c for c in sheet.columns if c.required)))
        return data
    data.columns = frozenset(column.key for _, column in mapped)
    data.header_row = header_index + 1
    for column in sheet.columns:
        if column.required and column.key not in data.columns:
            problems.error(MISSING_COLUMN, sheet=sheet, column=column, column_name=column, sheet_name=sheet)
    converters = [(position, column, converter(column, today=today)) for position, column in mapped]
    required = [column for column in sheet.columns if column.required and column.key in data.columns]
    rows_after_header = (raw for raw in head[header_index + 1 :])
    number = header_index + 1
    for raw in _chain(rows_after_header, iterator):
        number += 1
        row = _read_row(sheet, number, raw, converters, required, problems)
        if row is not None:
            data.rows.append(row)
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress("read", sheet.key, number, height)
    if progress is not None:
        progress("read", sheet.key, height, height)
    return data


def check_merged(sheet: Sheet, merges: Iterable[Merge], header_row: int | None, problems: Problems) -> None:
    """Report merged cells in the header or the data: a title above the header may be merged, nothing below."""
    for (first_row, first_column), (last_row, last_column) in merges:
        if header_row is not None and last_row + 1 >= header_row:
            cells = f"{column_letters(first_column + 1)}{first_row + 1}:{column_letters(last_column + 1)}{last_row + 1}"
            problems.error(MERGED, sheet=sheet, row=max(first_row + 1, header_row), cells=cells)


def _chain(first: Iterable[list[Any]], rest: Iterable[list[Any]]) -> Iterable[list[Any]]:
    yield from first
    yield from rest


def _find_header(
    sheet: Sheet, head: list[list[Any]], problems: Problems
) -> tuple[int | None, list[tuple[int, Column]]]:
    known = column_names(sheet)
    best_index, best_count = None, 0
    for index, raw in enumerate(head):
        count = sum(1 for cell in raw if isinstance(cell, str) and any(n in known for n in _names(cell)))
        if count > best_count:
            best_index, best_count = index, count
    if best_index is None:
        return None, []
    mapped: list[tuple[int, Column]] = []
    seen: set[str] = set()
    for position, cell in enumerate(head[best_index]):
        if is_blank(cell):
            continue
        text = str(cell)
        column = next((known[n] for n in _names(text) if n in known), None)
        if column is None:
            problems.warning(EXTRA_COLUMN, sheet=sheet, row=best_index + 1, value=text, sheet_name=sheet)
        elif column.key in seen:
            problems.error(DUPLICATE_COLUMN, sheet=sheet, row=best_index + 1, column=column, column_name=column)
        else:
            seen.add(column.key)
            mapped.append((position, column))
    return best_index, mapped


def _read_row(
    sheet: Sheet,
    number: int,
    raw: list[Any],
    converters: list[tuple[int, Column, Any]],
    required: list[Column],
    problems: Problems,
) -> Row | None:
    values: dict[str, Any] = {}
    blank = True
    width = len(raw)
    for position, column, convert in converters:
        cell = raw[position] if position < width else None
        if cell is None or cell == "" or (type(cell) is str and not cell.strip()):
            values[column.key] = None
            continue
        blank = False
        try:
            values[column.key] = convert(cell)
        except CellError as error:
            problems.error(error.template, sheet=sheet, row=number, column=column, **error.fields)
    if blank:
        return None  # empty lines between or after the data are not rows
    for column in required:
        if column.key in values and values[column.key] is None:
            if column.required_unless and values.get(column.required_unless) is not None:
                continue
            problems.error(REQUIRED, sheet=sheet, row=number, column=column)
    return Row(number, values)
