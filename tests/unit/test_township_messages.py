"""Every message and label of the township features has a Chinese translation with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from coopcore.commands import contracts as contract_commands
from coopcore.i18n import translate
from coopcore.rules import plans, weak_village
from coopcore.services import villages
from coopcore.services.workbook import village_plan

CJK = re.compile(r"[\u4e00-\u9fff]")
TEMPLATES = (
    *weak_village.TEMPLATES,
    *village_plan.TEMPLATES,
    *plans.TEMPLATES,
    contract_commands.DEPOSIT_OVER,
    contract_commands.SHORTFALL,
    villages.PlanStepRefused.__doc__ or "",
    villages.TargetNotReached.__doc__ or "",
    villages.PLAN_LEVEL,
)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_message_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template and CJK.search(chinese), template
    assert placeholders(chinese) == placeholders(template)
