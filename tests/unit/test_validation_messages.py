"""A validator's refusal reads in Chinese: no English reason is left untranslated inside it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from coopcore.errors import InvalidValue
from coopcore.i18n import render_error
from coopcore.i18n.capitals import amount_in_capitals
from coopcore.validation import area, bank_account, credit_code, phone, resident_id

ENGLISH = re.compile(r"[A-Za-z]{3,}")
TODAY = dt.date(2024, 6, 1)

REFUSED: list[tuple[Callable[[], object], str]] = [
    (lambda: area.validate_mu(Decimal("1.23456")), "1.23456"),
    (lambda: area.validate_mu(Decimal("NaN")), "NaN"),
    (lambda: area.validate_mu(Decimal("0")), "0"),
    (lambda: resident_id.validate("370602197002300010", today=TODAY), "370602197002300010"),
    (lambda: resident_id.validate("370602209901010010", today=TODAY), "370602209901010010"),
    (lambda: resident_id.validate("37060219700101001"), "37060219700101001"),
    (lambda: resident_id.validate("370602700101001"), "370602700101001"),
    (lambda: resident_id.upgrade_15("37060270010100A"), "37060270010100A"),
    (lambda: resident_id.calc_check_digit("3706"), "3706"),
    (lambda: credit_code.validate("93370602MA3IOSUCH1"), "93370602MA3IOSUCH1"),
    (lambda: credit_code.validate("9337060"), "9337060"),
    (lambda: credit_code.calc_check_digit("93"), "93"),
    (lambda: phone.validate("1381234567a"), "1381234567a"),
    (lambda: phone.validate("12812345678"), "12812345678"),
    (lambda: amount_in_capitals(Decimal("1000000000000000")), "1000000000000000"),
    (lambda: bank_account.validate("6222 0212 3456 0124"), "6222 0212 3456 0124"),
    (lambda: bank_account.validate("62220212345601"), "6222 0212 3456 01"),
    (lambda: bank_account.validate("1234567"), "1234567"),
    (lambda: bank_account.validate("6222o21234560123"), "6222o21234560123"),
]


@pytest.mark.parametrize(("refused", "value"), REFUSED)
def test_a_refusal_reads_in_chinese_apart_from_the_value_it_quotes(refused: Callable[[], object], value: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        refused()
    chinese = render_error(caught.value, "zh")
    assert not ENGLISH.search(re.sub(re.escape(value), "", chinese, flags=re.IGNORECASE)), chinese
