"""Every message of the voucher sheets has a Chinese translation with the same placeholders (no database)."""

from __future__ import annotations

import re
import string

import pytest

from coopcore.i18n import translate
from coopcore.services.workbook import cells, voucher_opening, voucher_plan, voucher_rows
from coopcore.services.workbook.voucher_schema import INSTRUCTIONS, NOTES, SHEETS

CJK = re.compile(r"[\u4e00-\u9fff]")
TEMPLATES = (*voucher_plan.TEMPLATES, *voucher_rows.TEMPLATES, *voucher_opening.TEMPLATES, cells.NOT_A_MONTH)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_message_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template and CJK.search(chinese), template
    assert placeholders(chinese) == placeholders(template)


def test_the_template_speaks_both_languages_and_its_notes_name_real_columns() -> None:
    assert len(INSTRUCTIONS["zh"]) == len(INSTRUCTIONS["en"])
    columns = {(sheet.key, column.key) for sheet in SHEETS for column in sheet.columns}
    assert set(NOTES) <= columns
    assert all(CJK.search(zh) and en and zh != en for zh, en in NOTES.values())
