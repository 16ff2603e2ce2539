"""Findings: what a bulk rule check reports, one value per problem, rendered in Chinese or English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from coopcore.i18n import Lang, render


class Severity(StrEnum):
    ERROR = "error"  # the law is broken: fix it
    WARNING = "warning"  # local practice or a default is not followed: look at it


@dataclass(frozen=True)
class Finding:
    """One problem found by a check; the English template is also the translation key."""

    rule: str
    severity: Severity
    template: str
    fields: Mapping[str, object]
    article: str

    def message(self, lang: Lang) -> str:
        """Return the message in the given language with its fields filled in."""
        return render(self.template, lang, **self.fields)
