"""Every message of the import's reach check has a Chinese translation with the same placeholders."""

from __future__ import annotations

import re

import pytest

from coopcore.i18n import translate
from coopcore.services.workbook import reach


@pytest.mark.parametrize("template", reach.TEMPLATES)
def test_every_reach_message_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    placeholder = re.compile(r"\{(\w+)[^}]*\}")
    assert translate(template, "zh") != template
    assert set(placeholder.findall(translate(template, "zh"))) == set(placeholder.findall(template))
