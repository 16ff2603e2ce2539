"""What an import reports: every problem with its sheet, row, column and value, and what it created or updated."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from coopcore.errors import Term
from coopcore.i18n import Lang, render
from coopcore.rules.findings import Severity
from coopcore.services.workbook.format import Column, Format, Sheet

SHOWN_CHARACTERS = 100  # a cell of 200 KB must not fill the error page: messages show its start
# Control characters are drawn as their visible symbols (NUL as ␀): they must not reach a terminal or a page raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@runtime_checkable
class Labelled(Protocol):
    def label(self, lang: Lang) -> str: ...


@dataclass(frozen=True)
class Labels:
    """Several labelled things shown as one field, such as the allowed values of a column."""

    items: tuple[Labelled, ...]

    def label(self, lang: Lang) -> str:
        return ("、" if lang == "zh" else ", ").join(item.label(lang) for item in self.items)


@dataclass(frozen=True)
class Words:
    """A word or phrase used inside a message, in both languages."""

    en: str
    zh: str

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


def show(value: object, lang: Lang = "zh") -> str:
    """Return a cell value or message field as people read it: floats by their shortest repr, dates ISO.

    This is the one place where a value becomes part of a message: long text is cut and control characters
    are made visible here, for the command line and the admin alike.
    """
    if value is None:
        return ""
    if isinstance(value, Labelled):
        return value.label(lang)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if len(text) > SHOWN_CHARACTERS:
        text = text[:SHOWN_CHARACTERS] + "…"
    return _CONTROL.sub(_symbol, text)


def _symbol(match: re.Match[str]) -> str:
    code = ord(match[0])
    return chr(0x2421 if code == 0x7F else 0x2400 + code)  # Unicode's control pictures: ␀ … ␟, ␡


@dataclass(frozen=True)
class Problem:
    """One problem of the workbook; the English template is also the translation key (workbook.po)."""

    severity: Severity
    template: str
    fields: Mapping[str, object]
    sheet: Sheet | None = None
    row: int | None = None  # the row number Excel shows
    column: Column | None = None
    value: object = None

    @property
    def blocking(self) -> bool:
        """True if the workbook cannot be imported until this is fixed."""
        return self.severity is Severity.ERROR

    def message(self, lang: Lang) -> str:
        """Return what is wrong and how to fix it, in the given language."""
        # Labels, floats and text go through show; Decimals stay numbers for format specs such as {contribution:,}.
        fields = {
            key: show(value, lang)
            if isinstance(value, Labelled | float | str) and not isinstance(value, Term)
            else value
            for key, value in self.fields.items()
        }
        return render(self.template, lang, **fields)

    def sheet_label(self, lang: Lang) -> str:
        return self.sheet.label(lang) if self.sheet else ""

    def column_label(self, lang: Lang) -> str:
        return self.column.label(lang) if self.column else ""

    def value_text(self) -> str:
        return show(self.value)


@dataclass
class Problems:
    """Collects problems in the order they are found; checks go on after an error to report them all."""

    items: list[Problem] = field(default_factory=list)

    def error(self, template: str, **where_and_fields: Any) -> None:
        self._add(Severity.ERROR, template, where_and_fields)

    def warning(self, template: str, **where_and_fields: Any) -> None:
        self._add(Severity.WARNING, template, where_and_fields)

    def _add(self, severity: Severity, template: str, given: dict[str, Any]) -> None:
        where = {key: given.pop(key) for key in ("sheet", "row", "column") if key in given}
        # The offending value is shown in its own column and is usually part of the message too.
        value = given.get("value")
        self.items.append(Problem(severity, template, given, value=value, **where))

    @property
    def blocking(self) -> bool:
        return any(problem.blocking for problem in self.items)


@dataclass
class SheetCounts:
    """What an import did (or, in a dry run, would do) with one sheet's rows."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # rows of the database the sheet no longer lists (account entries: reversed)


@dataclass(frozen=True)
class SurplusChange:
    """本年盈余 of a year before and after the import ([KJ 第五十二条]): shown whenever an import moves it."""

    year: int
    before: Decimal
    after: Decimal


@dataclass
class ImportReport:
    """The outcome of an import of any format: counts per sheet and every problem; nothing is written if one blocks."""

    format: Format
    problems: list[Problem]
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    lang: Lang = "zh"
    dry_run: bool = False
    written: bool = False
    credit_code: str | None = None
    surplus: list[SurplusChange] = field(default_factory=list)  # the years whose surplus the import changes

    @property
    def blocking(self) -> bool:
        return any(problem.blocking for problem in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.blocking]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.blocking]

    @property
    def created(self) -> int:
        return sum(counts.created for counts in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(counts.updated for counts in self.counts.values())

    def sheet_counts(self) -> list[tuple[Sheet, SheetCounts]]:
        """Return the counts in the order of the sheets of the format."""
        return [(sheet, self.counts[sheet.key]) for sheet in self.format.sheets if sheet.key in self.counts]

    def in_order(self) -> list[Problem]:
        """Return the problems as the workbook reads: by sheet in the format's order, then row, then column.

        The workbook as a whole comes first, then a sheet as a whole, then its rows; a row's cells left to right.
        """
        sheets = {sheet.key: position for position, sheet in enumerate(self.format.sheets)}

        def place(problem: Problem) -> tuple[int, int, int]:
            sheet = problem.sheet
            column = sheet.columns.index(problem.column) if sheet and problem.column in sheet.columns else -1
            return (sheets.get(sheet.key, len(sheets)) if sheet else -1, problem.row or 0, column)

        return sorted(self.problems, key=place)

    def messages(self, lang: Lang | None = None) -> list[str]:
        """Return every problem as one line: sheet, row, column, message."""
        lang = lang or self.lang
        lines = []
        for problem in self.problems:
            place = " ".join(
                part for part in (problem.sheet_label(lang), str(problem.row or ""), problem.column_label(lang)) if part
            )
            lines.append(f"{place}: {problem.message(lang)}" if place else problem.message(lang))
        return lines
