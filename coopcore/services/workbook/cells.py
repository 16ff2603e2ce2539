"""Cell values as calamine delivers them (str, float, bool, date) turned into typed values, or a problem.

Numbers arrive as binary floats. Each goes to Decimal through its shortest repr (0.1 → "0.1", not
0.1000000000000000055…), and a value with more decimal places than its column stores is refused rather
than rounded: the accountant decides how to round, not the import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from coopcore.services.workbook.format import SCALES, CellType, Column
from coopcore.services.workbook.report import Labels
from coopcore.validation.folding import fold

Converter = Callable[[Any], Any]

FIRST_DAY = dt.date(1990, 1, 1)  # fiscal years start in 1990 (the fiscal_year table's CHECK)
LAST_DAY = dt.date(2200, 12, 31)
# Largest magnitude each scale can store: NUMERIC(14, 2), NUMERIC(14, 4), NUMERIC(9, 6).
LIMITS = {2: Decimal("1e12"), 4: Decimal("1e10"), 6: Decimal("1e3")}
QUANTA = {places: Decimal(1).scaleb(-places) for places in LIMITS}
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
# XML 1.0 forbids C0 control characters other than tab, line feed and carriage return: openpyxl refuses to write
# them (IllegalCharacterError) and PostgreSQL refuses NUL. They come from pasting out of other programs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell: a longer value was not typed in Excel
_YES = frozenset({"是", "yes", "y", "true", "1", "√"})
_NO = frozenset({"否", "no", "n", "false", "0"})

NOT_A_NUMBER = "{value} is not a number: write digits only, such as 1234.50, without units or text."
TOO_MANY_PLACES = (
    "{value} has more than {places} decimal places: round it (for example =ROUND(…, {places})) and import again."
)
TOO_LARGE = "{value} is too large for this column."
NOT_A_DATE = "{value} is not a date: use a date cell or write the date as YYYY-MM-DD."
NOT_A_REAL_DATE = "{value} is not a real calendar date."
DATE_OUT_OF_RANGE = "{value} is outside {first} to {last}: check the year."
NUMBER_AS_IDENTIFIER = (
    "{value} was typed as a number, so Excel may have dropped digits or leading zeros: "
    "format the column as text and type the number again."
)
TOO_LONG = "{value} has more than {max_length} characters."
CONTROL_CHARACTER = (
    "{value} contains the invisible control character {character}, which cannot be stored or exported: "
    "delete it (retype the text, or use =CLEAN() in Excel) and import again."
)
NOT_A_MONTH = "{value} is not a month: write it as YYYY-MM, such as 2024-07."
NOT_A_COUNT = "{value} is not a whole number of 0 or more."
NOT_A_YEAR = "{value} is not a year from 1990 to 2200."
NOT_A_FLAG = "{value} is not 是 or 否 (yes or no)."
UNKNOWN_CHOICE = "{value} is not an allowed value; use one of: {allowed}."
TEMPLATES = (
    NOT_A_NUMBER,
    TOO_MANY_PLACES,
    TOO_LARGE,
    NOT_A_DATE,
    NOT_A_REAL_DATE,
    DATE_OUT_OF_RANGE,
    NOT_A_MONTH,
    NUMBER_AS_IDENTIFIER,
    TOO_LONG,
    CONTROL_CHARACTER,
    NOT_A_COUNT,
    NOT_A_YEAR,
    NOT_A_FLAG,
    UNKNOWN_CHOICE,
)


class CellError(Exception):
    """A cell that cannot become a value of its column; carries the problem's template and fields."""

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template)
        self.template = template
        self.fields = fields


def is_blank(value: object) -> bool:
    """True for an empty cell (calamine gives "" for empty cells) or one holding only spaces."""
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def to_decimal(value: object, places: int) -> Decimal:
    """Return a cell as a Decimal with exactly `places` decimals; refuse anything that needs rounding."""
    if isinstance(value, float):
        number = Decimal(repr(value))  # the shortest repr round-trips to the same float: what Excel showed
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise CellError(NOT_A_NUMBER, value=value) from None
    else:
        raise CellError(NOT_A_NUMBER, value=value)
    if not number.is_finite():
        raise CellError(NOT_A_NUMBER, value=value)
    if abs(number) >= LIMITS[places]:
        raise CellError(TOO_LARGE, value=value)
    exact = number.quantize(QUANTA[places])
    if exact != number:  # quantize would have rounded: more decimal places than the column stores
        raise CellError(TOO_MANY_PLACES, value=value, places=places)
    return exact


def to_date(value: object, last: dt.date) -> dt.date:
    """Return a cell as a date between 1990-01-01 and last: a date cell, or text such as 2024-03-05."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        match = _DATE_TEXT.fullmatch(value.strip())
        if match is None:
            raise CellError(NOT_A_DATE, value=value)
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise CellError(NOT_A_REAL_DATE, value=value) from None
    else:
        raise CellError(NOT_A_DATE, value=value)
    if not FIRST_DAY <= day <= last:
        raise CellError(DATE_OUT_OF_RANGE, value=value if isinstance(value, str) else day, first=FIRST_DAY, last=last)
    return day


def to_month(value: object, last: dt.date) -> dt.date:
    """Return a cell as the first day of its month: a date cell (Excel turns a typed 2024-07 into one), or text
    such as 2024-07, 2024/7 or 2024年7月; from 1990-01 to the month of `last`."""
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
    elif isinstance(value, str):
        text = value.strip()
        match = _MONTH_TEXT.fullmatch(text) or _DATE_TEXT.fullmatch(text)  # a whole date names its month too
        if match is None or not 1 <= int(match[2]) <= 12:
            raise CellError(NOT_A_MONTH, value=value)
        day = dt.date(int(match[1]), int(match[2]), 1)
    else:
        raise CellError(NOT_A_MONTH, value=value)
    first = day.replace(day=1)
    if not FIRST_DAY <= first <= last:
        raise CellError(DATE_OUT_OF_RANGE, value=value if isinstance(value, str) else first, first=FIRST_DAY, last=last)
    return first


def to_text(value: object, max_length: int) -> str:
    """Return a cell as stripped text; whole numbers lose their ".0" (a member code typed as 7 is "7").

    Every text value of both workbooks passes here, so control characters are refused here, once.
    """
    if type(value) is str:
        text = value.strip()
        if not text.isprintable() and (control := _CONTROL.search(text)):  # isprintable: a fast C-level pre-check
            raise CellError(CONTROL_CHARACTER, value=text, character=f"U+{ord(control[0]):04X}")
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value).strip()
    limit = max_length or MAX_CELL_CHARACTERS
    if len(text) > limit:
        raise CellError(TOO_LONG, value=text, max_length=limit)
    return text


def to_identifier(value: object, max_length: int) -> str:
    """Return an ID number or credit code typed as text, folded to ASCII; a number has lost digits already."""
    if not isinstance(value, str):
        raise CellError(NUMBER_AS_IDENTIFIER, value=value)
    # Full-width digits and ideographic or non-breaking spaces are the same ID (the validators' own folding).
    return to_text(fold(value), max_length)


def to_whole(value: object, template: str, low: int, high: int) -> int:
    """Return a cell as a whole number from low to high."""
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise CellError(template, value=value)
    if not low <= number <= high:
        raise CellError(template, value=value)
    return number


def to_flag(value: object) -> bool:
    """Return a yes/no cell (是/否, a checkbox, 1/0) as a bool."""
    if isinstance(value, bool):
        return value
    text = to_text(value, 0).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(NOT_A_FLAG, value=value)


def converter(column: Column, *, today: dt.date) -> Converter:
    """Return the function that turns a non-blank cell of the column into its value or raises CellError."""
    kind, length = column.type, column.max_length
    if kind in SCALES:
        places = SCALES[kind]
        return lambda value: to_decimal(value, places)
    if kind is CellType.DATE:
        return lambda value: to_date(value, today)
    if kind is CellType.END_DATE:
        return lambda value: to_date(value, LAST_DAY)
    if kind is CellType.MONTH:
        return lambda value: to_month(value, today)
    if kind is CellType.IDENTIFIER:
        return lambda value: to_identifier(value, length)
    if kind is CellType.YEAR:
        return lambda value: to_whole(value, NOT_A_YEAR, FIRST_DAY.year, LAST_DAY.year)
    if kind is CellType.COUNT:
        return lambda value: to_whole(value, NOT_A_COUNT, 0, 1_000_000)
    if kind is CellType.FLAG:
        return to_flag
    if kind is CellType.CHOICE:
        return _choice_converter(column)
    return lambda value: to_text(value, length)


def _choice_converter(column: Column) -> Converter:
    # Chinese labels (and older templates' words) and the stored (English) values, the latter in any case.
    lookup = {alias: choice.value for choice in column.choices for alias in choice.aliases}
    lookup |= {choice.zh: choice.value for choice in column.choices}
    lookup |= {choice.value.lower(): choice.value for choice in column.choices}
    allowed = Labels(column.choices)

    def convert(value: object) -> str:
        text = to_text(value, 0)
        found = lookup.get(text) or lookup.get(text.lower())
        if found is None:
            raise CellError(UNKNOWN_CHOICE, value=value, allowed=allowed)
        return found

    return convert
