"""How `coop distribution plan-all` reports a township's year end: each cooperative planned, or why not."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from coopcore.i18n import Lang, format_money, render
from coopcore.money import ZERO


@dataclass(frozen=True)
class Planned:
    """One cooperative's outcome: its plan's distributable surplus and members, or the reason it has none."""

    code: str
    name: str
    distributable: Decimal = ZERO
    members: int = 0
    reason: str = ""


def print_planned(outcomes: list[Planned], year: int, lang: Lang) -> None:
    """The summary: the planned cooperatives first, then those that could not be planned, each with its reason."""
    shown = Table(title=render("The {year} distribution plans of the township", lang, year=year))
    for header in ("Credit code", "Cooperative", "Result", "Distributable surplus", "Members"):
        shown.add_column(
            render(header, lang), justify="right" if header in ("Distributable surplus", "Members") else "left"
        )
    for outcome in sorted(outcomes, key=lambda outcome: (bool(outcome.reason), outcome.code)):
        if outcome.reason:
            shown.add_row(outcome.code, outcome.name, render("Not planned: {reason}", lang, reason=outcome.reason),
                          "", "")  # fmt: skip
        else:
            shown.add_row(outcome.code, outcome.name, render("Plan computed", lang),
                          format_money(outcome.distributable, lang), str(outcome.members))  # fmt: skip
    console = Console(width=200)
    console.print(shown)
    failed = sum(1 for outcome in outcomes if outcome.reason)
    console.print(render("{planned} of {count} cooperatives planned, {failed} not.", lang,
                         planned=len(outcomes) - failed, count=len(outcomes), failed=failed))  # fmt: skip
