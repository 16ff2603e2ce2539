"""The 附注's pure parts: shares in percent half up, the roster counted as [L-20] counts it, support received
counted once, member and non-member business kept apart, and every word of the notes in Chinese."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopcore.commands import statements_notes
from coopcore.i18n import translate
from coopcore.rules.statements import note_sections, notes
from coopcore.rules.statements.notes import Support, business_by_kind, check_note, count_roster, percent, support_totals
from coopcore.terms import FundForm, FundSource, MemberKind, SpecialPayableKind, TradeKind

D = Decimal
CATALOG = Path(notes.__file__).parents[2] / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "notes.po"
TEMPLATES = sorted({*note_sections.TEMPLATES, notes.NO_SUCH_ITEM, notes.TOO_LONG, *statements_notes.TEMPLATES})


def test_a_share_is_in_percent_rounded_half_up_and_none_of_nothing() -> None:
    assert percent(1, 8) == D("12.50") and percent(2, 3) == D("66.67") and percent(1, 200) == D("0.50")
    assert percent(0, 0) is None


def test_the_roster_counts_village_collectives_with_the_organisations_and_farmers_apart() -> None:
    kinds = [MemberKind.FARMER] * 18 + [MemberKind.NON_FARMER, MemberKind.VILLAGE_COLLECTIVE, MemberKind.ENTERPRISE]
    roster = count_roster(kinds)
    assert (roster.members, roster.farmers, roster.organisations) == (21, 18, 2)
    assert (roster.farmer_share, roster.organisation_share) == (D("85.71"), D("9.52"))


def test_support_counts_what_came_in_once_and_the_money_returned() -> None:
    day = dt.date(2024, 3, 1)
    records = [
        Support(day, SpecialPayableKind.RECEIVED, FundSource.FISCAL_SUBSIDY, D("300000.00"), "选果线"),
        Support(day, FundForm.FROM_SUBSIDY, FundSource.FISCAL_SUBSIDY, D("280000.00"), "选果线"),  # of the 300,000
        Support(day, SpecialPayableKind.SPENT, FundSource.FISCAL_SUBSIDY, D("12000.00"), "培训"),
        Support(day, FundForm.ASSET, FundSource.FISCAL_SUBSIDY, D("50000.00"), "冷库"),
        Support(day, SpecialPayableKind.RETURNED, FundSource.FISCAL_SUBSIDY, D("8000.00"), "选果线"),
    ]
    totals = support_totals(records)
    assert (totals.received, totals.returned) == (D("350000.00"), D("8000.00"))


def test_business_with_members_and_non_members_is_kept_apart_by_kind_then_added_up() -> None:
    rows = [
        (TradeKind.INPUT_PURCHASE, True, D("300.00"), 2),
        (TradeKind.INTAKE, True, D("900.00"), 3),
        (TradeKind.INTAKE, False, D("100.00"), 1),
    ]
    intake, inputs, everything = business_by_kind(rows)
    assert (intake.kind, intake.member_amount, intake.other_amount, intake.member_share) == (
        TradeKind.INTAKE, D("900.00"), D("100.00"), D("90.00"))  # fmt: skip
    assert inputs.kind is TradeKind.INPUT_PURCHASE and inputs.member_share == D("100.00")
    assert (everything.kind, everything.member_amount, everything.member_tickets, everything.other_tickets) == (
        None, D("1200.00"), 5, 1)  # fmt: skip
    assert business_by_kind([]) == ()


def test_a_note_is_one_of_nine_items_and_a_few_pages_at_most() -> None:
    assert check_note(1, "声明") == [] and check_note(9, "") == []
    assert [f.rule for f in check_note(0, "")] == ["note_item"] and [f.rule for f in check_note(10, None)] == [
        "note_item"
    ]
    assert [f.rule for f in check_note(4, "字" * 20_001)] == ["note_length"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_word_of_the_notes_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template, template
    assert placeholders(chinese) == placeholders(template)


def test_the_notes_catalog_holds_only_their_words_and_changes_no_other_catalog_s() -> None:
    ours = {m.id: m.string for m in read_po(CATALOG.open("rb")) if m.id}
    assert set(ours) <= set(TEMPLATES)
    for other in CATALOG.parent.glob("*.po"):
        if other != CATALOG:
            for message in read_po(other.open("rb")):
                if message.id in ours:
                    assert ours[message.id] == message.string, (other.name, message.id)


def test_the_nine_items_are_in_the_order_and_wording_of_the_rules() -> None:
    assert [translate(item, "zh") for item in notes.ITEMS[:3]] == ["遵循农民专业合作社会计制度的声明", "合作社基本情况",
                                                                   "成员权益结构"]  # fmt: skip
    assert translate(notes.ITEMS[6], "zh") == "其他重要事项" and len(notes.ITEMS) == 9
