"""A year-end step refused in the wrong state says what happened in the user's words, in Chinese and English."""

from __future__ import annotations

import string

import pytest

from coopcore.errors import Term
from coopcore.i18n import render_error, translate
from coopcore.models import DistributionState
from coopcore.services.distribution import PLAIN_STATE_MESSAGES, WrongState


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize(("action", "state"), sorted(PLAIN_STATE_MESSAGES))
def test_each_plain_message_has_a_chinese_translation_with_the_same_fields(action: str, state: str) -> None:
    template = PLAIN_STATE_MESSAGES[action, state]
    chinese = translate(template, "zh")
    assert chinese != template
    assert placeholders(chinese) == placeholders(template) == {"year"}


def test_paying_a_paid_year_again_says_the_dividends_were_already_paid() -> None:
    error = WrongState(year=2024, state=Term(DistributionState.PAID), action=Term("pay"), required=Term("posted"))
    assert render_error(error, "zh") == "2024年的分红已经支付过了。"
    assert str(error) == "The 2024 dividends have already been paid."
    assert error.fields["state"] == "paid"  # the structured fields stay for whoever needs them


def test_a_case_without_plain_words_keeps_the_general_sentence() -> None:
    error = WrongState(year=2024, state=Term("reversed"), action=Term("pay"), required=Term("posted"))
    assert render_error(error, "zh") == "2024年度盈余分配方案当前状态为“已冲销”，需为“已记账”才能执行“支付”。"


def test_every_step_refused_in_every_live_state_has_plain_words() -> None:
    required = {"publish": "draft", "approve": "published", "post": "approved", "pay": "posted", "reverse": "posted"}
    live = ("draft", "published", "approved", "posted", "paid")
    missing = [(a, s) for a, r in required.items() for s in live if s != r and (a, s) not in PLAIN_STATE_MESSAGES]
    assert missing == []
