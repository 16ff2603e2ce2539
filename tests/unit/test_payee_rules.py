"""The payee rule: bank, account and holder go together; a holder other than the head of household is a warning."""

from __future__ import annotations

import string

import pytest

from coopcore.i18n import translate
from coopcore.rules.payees import INCOMPLETE, NOT_THE_HEAD, NOT_THE_MEMBER, TEMPLATES, check_payee

CARD = "6200000000000005"


def test_no_payee_details_at_all_is_no_finding() -> None:
    assert check_payee(None, None, None, "张建国", "张建国") == []
    assert check_payee("", " ", "\u3000", None, "张建国") == []


@pytest.mark.parametrize(
    ("bank", "account", "holder", "missing"),
    [
        ("", CARD, "张建国", "payee_bank"),
        ("农商银行", None, "张建国", "payee_account"),
        ("农商银行", CARD, " ", "payee_name"),
    ],
)
def test_a_part_missing_is_refused_at_that_part(bank: str, account: str | None, holder: str, missing: str) -> None:
    [finding] = check_payee(bank, account, holder, "张建国", "张建国")
    assert finding.blocking and finding.template == INCOMPLETE and finding.key == missing
    assert finding.message("zh") == "开户行、账号和户名须一并填写：三项都填，或都不填。"


def test_the_head_of_household_as_holder_is_no_finding_whatever_the_spaces() -> None:
    assert check_payee("农商银行", CARD, "张 建国", "张建国", "张建国户") == []
    assert check_payee("农商银行", CARD, "ＡＢＣ", "ABC", "ABC") == []  # full-width letters are the same name


def test_a_son_holding_the_card_is_a_warning_naming_both() -> None:
    [finding] = check_payee("农商银行", CARD, "张小军", "张建国", "张建国")
    assert not finding.blocking and finding.template == NOT_THE_HEAD and finding.key == "payee_name"
    assert finding.message("zh") == (
        "收款账户的户名是张小军，不是户主张建国：请与该户确认款项付到这个账户（子女持卡的情况是允许的）。"
    )


def test_without_a_head_the_holder_is_compared_with_the_member() -> None:
    assert check_payee("农商银行", CARD, "东院村股份经济合作社", None, "东院村股份经济合作社") == []
    [finding] = check_payee("农商银行", CARD, "李会计", None, "东院村股份经济合作社")
    assert not finding.blocking and finding.template == NOT_THE_MEMBER
    assert "李会计" in finding.message("zh") and "东院村股份经济合作社" in finding.message("zh")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_payee_message_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template and placeholders(chinese) == placeholders(template)
