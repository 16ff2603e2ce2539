"""The rule of a detail account's code, without a database: the one the books' service and the voucher sheets use."""

from __future__ import annotations

import pytest

from coopcore.i18n import translate
from coopcore.rules.ledger import (
    ACCOUNT_NO_PARENT,
    ACCOUNT_NOT_DIGITS,
    ACCOUNT_NOT_UNDER,
    ACCOUNT_TAKEN,
    check_detail_account,
)

CODES = {"501", "50101", "114"}


@pytest.mark.parametrize(
    ("code", "parent", "template", "key"),
    [
        ("50102", "502", ACCOUNT_NO_PARENT, "parent"),
        ("501A", "501", ACCOUNT_NOT_DIGITS, "code"),
        ("５０１０２", "501", ACCOUNT_NOT_DIGITS, "code"),  # full-width digits are digits to Python, not to a chart
        ("50101", "501", ACCOUNT_TAKEN, "code"),
        ("50201", "501", ACCOUNT_NOT_UNDER, "code"),
        ("501", "501", ACCOUNT_TAKEN, "code"),
        ("50", "501", ACCOUNT_NOT_UNDER, "code"),
    ],
)
def test_a_detail_account_code_is_digits_free_and_under_its_parent(
    code: str, parent: str, template: str, key: str
) -> None:
    [finding] = check_detail_account(code, parent, CODES)
    assert (finding.template, finding.key) == (template, key)
    assert translate(template, "zh") != template


def test_a_detail_account_under_a_detail_account_is_fine() -> None:
    assert check_detail_account("5010101", "50101", CODES) == []
    assert check_detail_account("11401", "114", CODES) == []
