"""The books' pure rules (no database): voucher checks and red reversals; and their messages, each
translated in ledger.po with the same placeholders."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopcore.commands import ledger as ledger_command
from coopcore.commands import ledger_input, ledger_tables
from coopcore.db import errors as db_errors
from coopcore.i18n import translate
from coopcore.rules import ledger as rules
from coopcore.rules.ledger import AccountRule, EntryLine, check_voucher, normal_columns, swapped
from coopcore.services.ledger import balances, books, events
from coopcore.services.ledger import errors as service_errors
from coopcore.services.ledger import reconcile as reconciliation
from tests.ledger.builders import cr, dr

D = Decimal
CJK = re.compile(r"[\u4e00-\u9fff]")
CHART = {
    "102": AccountRule("102"),
    "114": AccountRule("114", member_detail=True),
    "151": AccountRule("151", poverty_split=True),
    "501": AccountRule("501", is_leaf=False),
    "50101": AccountRule("50101"),
    "109": AccountRule("109", is_active=False),
}
TEMPLATES = (*rules.TEMPLATES, *service_errors.TEMPLATES, *books.TEMPLATES, *events.TEMPLATES, *balances.TEMPLATES,
             *db_errors.LEDGER_TEMPLATES, *ledger_command.TEMPLATES, *ledger_input.TEMPLATES,
             *ledger_tables.TEMPLATES, *reconciliation.TEMPLATES)  # fmt: skip


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_a_right_voucher_has_no_findings() -> None:
    lines = [dr("114", "10.00", "M1"), dr("151", "5.00", poverty_asset=False), cr("50101", "15.00")]
    assert check_voucher(lines, CHART, {"M1"}) == []


@pytest.mark.parametrize(
    ("lines", "rules_found"),
    [
        ([dr("102", "1.00"), cr("50101", "2.00")], ["voucher_balance"]),
        ([dr("102", "1.00")], ["voucher_lines", "voucher_balance"]),
        ([EntryLine("102", D("1.00"), D("1.00")), cr("50101", "0")], ["line_side", "line_side"]),
        ([dr("501", "1.00"), cr("109", "1.00")], ["line_account", "line_account"]),
        ([dr("114", "1.00", "M9"), cr("102", "1.00", "M1")], ["line_member", "line_member"]),
        ([dr("151", "1.00"), cr("102", "1.00", poverty_asset=True)], ["line_poverty", "line_poverty"]),
        ([dr("102", "1.001"), cr("50101", "1.001")], ["line_amount", "line_amount"]),
        ([dr("102", "1000000000000.00"), cr("50101", "1000000000000.00")], ["line_amount", "line_amount"]),
    ],
)
def test_every_problem_of_a_voucher_is_found(lines: list[EntryLine], rules_found: list[str]) -> None:
    assert [finding.rule for finding in check_voucher(lines, CHART, {"M1"})] == rules_found


def test_a_reversal_puts_every_amount_on_the_other_side() -> None:
    lines = [dr("114", "10.00", "M1"), cr("102", "10.00")]
    assert swapped(lines) == [cr("114", "10.00", "M1"), dr("102", "10.00")]
    assert swapped(swapped(lines)) == lines


def test_a_balance_is_shown_in_the_column_of_its_side() -> None:
    assert normal_columns(D("5.00")) == (D("5.00"), D("0.00"))
    assert normal_columns(D("-5.00")) == (D("0.00"), D("5.00"))


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_message_of_the_books_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template and CJK.search(chinese), template
    assert placeholders(chinese) == placeholders(template)


def test_the_books_catalog_is_a_standard_po_file_with_nothing_left_over() -> None:
    path = Path(rules.__file__).parents[1] / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "ledger.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.locale is not None and catalog.locale.language == "zh"
    extra = {"Account", "Chart of accounts"}  # NotFound's what
    assert {message.id for message in catalog if message.id} == {*TEMPLATES, *extra}
