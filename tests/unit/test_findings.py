"""One shape for a problem: a rule's finding, placed at a sheet, row and column when a workbook is checked."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopcore.i18n import Lang
from coopcore.rules import books
from coopcore.rules.findings import Finding, Severity, show


@dataclass(frozen=True)
class Place:
    key: str
    zh: str

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.key


def test_a_finding_placed_in_a_workbook_keeps_its_rule_and_message_and_gains_sheet_row_column_and_value() -> None:
    (finding,) = books.check_trade_amount(Decimal("100"), Decimal("3.50"), Decimal("351.00"))
    assert (finding.sheet, finding.row, finding.column, finding.value) == (None, None, None, None)

    placed = finding.at(Place("transactions", "交易"), 7, Place("amount", "金额"))

    assert (placed.rule, placed.template, placed.message("zh")) == (
        finding.rule,
        finding.template,
        finding.message("zh"),
    )
    assert (placed.sheet_label("zh"), placed.row, placed.column_label("zh")) == ("交易", 7, "金额")
    assert placed.value == Decimal("351.00") and placed.value_text() == "351.00"
    assert placed.blocking and not Finding("x", Severity.WARNING, "x", {}).blocking


def test_a_value_in_a_message_is_cut_and_its_control_characters_are_made_visible() -> None:
    finding = Finding("x", Severity.ERROR, "{value} is wrong.", {"value": "a\x00b" + "c" * 200})
    shown = finding.message("en")
    assert shown.startswith("a␀bccc") and "…" in shown and len(shown) < 120
    assert show(1.0) == "1" and show(Decimal("1.50")) == "1.50"
