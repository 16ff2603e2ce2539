"""The statements' words: every item of the three forms and every message of `coop statements` has its Chinese,
with the same placeholders, in statements.po, and that catalog holds nothing else."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopcore.commands import statements_tables
from coopcore.i18n import translate
from coopcore.rules.statements import BALANCE_SHEET, EQUITY_COLUMNS, EQUITY_SUB_ITEMS, SURPLUS_STATEMENT

CJK = re.compile(r"[\u4e00-\u9fff]")
CATALOG = Path(statements_tables.__file__).parents[1] / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "statements.po"
ITEMS = {line.item for line in (*BALANCE_SHEET, *SURPLUS_STATEMENT)}
ITEMS |= {line.heading for line in BALANCE_SHEET if line.heading}
ITEMS |= {column.item for column in EQUITY_COLUMNS} | {item.item for item in EQUITY_SUB_ITEMS}
TEMPLATES = sorted(ITEMS | set(statements_tables.TEMPLATES))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_word_of_the_statements_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template and CJK.search(chinese), template
    assert placeholders(chinese) == placeholders(template)


def test_the_statements_catalog_holds_exactly_their_words_and_changes_no_other_catalog_s() -> None:
    ours = {m.id: m.string for m in read_po(CATALOG.open("rb")) if m.id}
    assert set(ours) == set(TEMPLATES)
    for other in CATALOG.parent.glob("*.po"):
        if other != CATALOG:
            for message in read_po(other.open("rb")):
                if message.id in ours:
                    assert ours[message.id] == message.string, (other.name, message.id)


def test_the_items_are_the_official_wording() -> None:
    assert [translate(line.item, "zh") for line in BALANCE_SHEET[:5]] == ["货币资金", "应收款项", "存货",
                                                                          "消耗性生物资产", "流动资产合计"]  # fmt: skip
    assert translate(SURPLUS_STATEMENT[19].item, "zh") == "六、年末未分配盈余"
