"""What an import reports: every problem with its sheet, row, column and value, and what it created or updated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coopcore.i18n import Lang
from coopcore.rules.findings import Finding, Labelled, Severity
from coopcore.services.workbook.format import Format, Sheet


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


@dataclass
class Problems:
    """Collects problems in the order they are found; checks go on after an error to report them all."""

    items: list[Finding] = field(default_factory=list)

    def error(self, template: str, **where_and_fields: Any) -> None:
        self._add(Severity.ERROR, template, where_and_fields)

    def warning(self, template: str, **where_and_fields: Any) -> None:
        self._add(Severity.WARNING, template, where_and_fields)

    def _add(self, severity: Severity, template: str, given: dict[str, Any]) -> None:
        where = {key: given.pop(key) for key in ("sheet", "row", "column") if key in given}
        # The offending value is shown in its own column and is usually part of the message too.
        value = given.get("value")
        self.items.append(Finding("", severity, template, given, value=value, **where))

    def place(
        self, findings: Iterable[Finding], sheet: Sheet, row: int, columns: Mapping[str, str] | None = None
    ) -> None:
        """Add a rule's findings about a row, each in the column of the field it is about (`columns` renames)."""
        for finding in findings:
            key = (columns or {}).get(finding.key or "", finding.key)
            self.items.append(finding.at(sheet, row, sheet.column(key) if key else None))

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
    problems: list[Finding]
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
    def errors(self) -> list[Finding]:
        return [problem for problem in self.problems if problem.blocking]

    @property
    def warnings(self) -> list[Finding]:
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

    def in_order(self) -> list[Finding]:
        """Return the problems as the workbook reads: by sheet in the format's order, then row, then column.

        The workbook as a whole comes first, then a sheet as a whole, then its rows; a row's cells left to right.
        """
        sheets = {sheet.key: (position, sheet) for position, sheet in enumerate(self.format.sheets)}

        def place(problem: Finding) -> tuple[int, int, int]:
            if problem.sheet is None:
                return (-1, 0, -1)
            position, sheet = sheets.get(problem.sheet.key, (len(sheets), None))
            columns = [column.key for column in sheet.columns] if sheet else []
            column = columns.index(problem.column.key) if problem.column and problem.column.key in columns else -1
            return (position, problem.row or 0, column)

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
