"""What a workbook format declares: its sheets and columns, its template's instructions and notes, its planner.

The reader, the template writer, the report and `coopcore.services.imports.run_import` serve every format from
these declarations alone (the way beangulp's csvbase serves many layouts): a format adds no reading code.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from coopcore.i18n import Lang
from coopcore.labels import label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coopcore.services.access import Scope
    from coopcore.services.workbook.newer import Touched
    from coopcore.services.workbook.reader import Book, Progress
    from coopcore.services.workbook.report import Problems, SheetCounts, SurplusChange


class CellType(StrEnum):
    TEXT = "text"
    IDENTIFIER = "identifier"  # text only: an ID typed as a number has already lost digits in Excel
    MONEY = "money"
    QUANTITY = "quantity"
    AREA = "area"
    RATE = "rate"
    DATE = "date"  # a recorded fact: not in the future
    END_DATE = "end_date"  # the end of a term: may lie in the future
    MONTH = "month"  # a year and month (2024-07), read as its first day; not after today's month
    YEAR = "year"
    COUNT = "count"
    FLAG = "flag"
    CHOICE = "choice"


# Decimal places each numeric type allows: the scale of its database column (coopcore.db.types).
SCALES = {CellType.MONEY: 2, CellType.QUANTITY: 4, CellType.AREA: 4, CellType.RATE: 6}


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enumerated column: the stored value, its Chinese label and older words for it."""

    value: str
    zh: str
    aliases: tuple[str, ...] = ()  # what earlier templates wrote: their workbooks still import

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.value


@dataclass(frozen=True)
class Column:
    """One column: Chinese header, English alias (the key), type, and the note shown in the template."""

    key: str
    zh: str
    type: CellType
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int = 0
    example: object = None
    required_unless: str = ""  # another column whose value makes this one optional

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.key

    def header(self, lang: Lang) -> str:
        return self.label(lang) + ("*" if self.required else "")


@dataclass(frozen=True)
class Sheet:
    """One sheet: its Chinese name, English alias (the key) and columns."""

    key: str
    zh: str
    columns: tuple[Column, ...]
    required: bool = False
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {column.key: column for column in self.columns})

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.key

    def column(self, key: str) -> Column:
        return self.by_key[key]


def choices(
    values: Iterable[enum.Enum], aliases: Mapping[enum.Enum, tuple[str, ...]] | None = None
) -> tuple[Choice, ...]:
    """The choices of a column: each term as coopcore.labels names it, and the words earlier templates used."""
    return tuple(Choice(str(value.value), label(value, "zh"), (aliases or {}).get(value, ())) for value in values)


YES_NO = (Choice("yes", "是"), Choice("no", "否"))


@dataclass
class Planned:
    """A planner's answer: what the import does (or would do) per sheet, and the writes to run if nothing blocks."""

    counts: dict[str, SheetCounts] = field(default_factory=dict)
    write: Write | None = None  # None: nothing to write, e.g. a workbook too broken to plan
    credit_code: str | None = None  # the cooperative the workbook is about (the admin checks its reach)
    surplus: list[SurplusChange] = field(default_factory=list)  # 本年盈余 the import moves
    touched: list[Touched] = field(default_factory=list)  # stored rows it removes or changes (newer.py checks them)


class Write(Protocol):
    """Write what was planned, flushing and never committing; run_import runs it inside a savepoint."""

    def __call__(self, session: Session, progress: Progress | None, /) -> None: ...


class Planner(Protocol):
    """Check the rows read against each other and the database, and plan the writes; problems are collected.

    `today` bounds dated facts and is the day rules are judged on; `actor` is who imports (their reach).
    """

    def __call__(
        self, session: Session, book: Book, problems: Problems, /, *, today: dt.date, actor: Scope
    ) -> Planned: ...


@dataclass(frozen=True, eq=False)
class Format:
    """One kind of workbook: its sheets in order, its template's instructions and header notes, its planner."""

    key: str
    sheets: tuple[Sheet, ...]
    instructions: Mapping[Lang, tuple[str, ...]]  # the lines of the template's first sheet (说明)
    planner: Planner
    notes: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (sheet, column) → (zh, en)

    def sheet(self, key: str) -> Sheet:
        return next(sheet for sheet in self.sheets if sheet.key == key)
