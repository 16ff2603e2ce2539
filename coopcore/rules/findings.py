"""Findings: what a rule check reports, one value per problem, placed at a sheet, row and column when a workbook
is checked, and rendered in Chinese or English.

A rule function returns findings about the record it is given; the caller places them: an import at the sheet,
row and column of the cell the finding is `key`ed to, the admin on the form it refuses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, runtime_checkable

from coopcore.errors import Term
from coopcore.i18n import Lang, render

SHOWN_CHARACTERS = 100  # a cell of 200 KB must not fill the error page: messages show its start
# Control characters are drawn as their visible symbols (NUL as ␀): they must not reach a terminal or a page raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Severity(StrEnum):
    ERROR = "error"  # the law is broken, or the record cannot be right: fix it
    WARNING = "warning"  # local practice or a default is not followed: look at it


@runtime_checkable
class Labelled(Protocol):
    def label(self, lang: Lang) -> str: ...


class Place(Labelled, Protocol):
    """A sheet or a column of a workbook: a key and a label in each language."""

    @property
    def key(self) -> str: ...


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
class Finding:
    """One problem found by a check; the English template is also the translation key."""

    rule: str
    severity: Severity
    template: str
    fields: Mapping[str, object] = field(default_factory=dict)
    article: str = ""
    key: str | None = None  # the field of the record it is about, as the rule's arguments name it
    sheet: Place | None = None
    row: int | None = None  # the row number Excel shows
    column: Place | None = None
    value: object = None  # the offending cell, shown in a column of its own

    @property
    def blocking(self) -> bool:
        """True if the record (or workbook) cannot be saved until this is fixed."""
        return self.severity is Severity.ERROR

    def message(self, lang: Lang) -> str:
        """Return what is wrong and how to fix it, in the given language, with its fields filled in."""
        # Labels, floats and text go through show; Decimals stay numbers for format specs such as {contribution:,}.
        fields = {
            key: show(value, lang)
            if isinstance(value, Labelled | float | str) and not isinstance(value, Term)
            else value
            for key, value in self.fields.items()
        }
        return render(self.template, lang, **fields)

    def at(self, sheet: Place | None, row: int | None, column: Place | None = None) -> Finding:
        """The same finding placed at a cell of a workbook; the value is the one the message names."""
        return replace(self, sheet=sheet, row=row, column=column, value=self.fields.get("value"))

    def sheet_label(self, lang: Lang) -> str:
        return self.sheet.label(lang) if self.sheet else ""

    def column_label(self, lang: Lang) -> str:
        return self.column.label(lang) if self.column else ""

    def value_text(self) -> str:
        return show(self.value)


def error(rule: str, template: str, *, key: str, article: str = "", **fields: object) -> list[Finding]:
    """A rule's one blocking finding about a field of the record, as the list every rule function returns."""
    return [Finding(rule, Severity.ERROR, template, fields, article, key)]


class Problems(tuple[Finding, ...]):
    """Findings as one field of an error's message: each on a line of its own, in the reader's language."""

    __slots__ = ()

    def localized(self, lang: Lang) -> str:
        return "".join(f"\n- {finding.message(lang)}" for finding in self)

    def __str__(self) -> str:
        return self.localized("en")
