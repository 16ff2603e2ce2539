"""Bank card and account numbers: cards pass their Luhn check digit, passbook accounts are digits only, every
masked number hides its middle."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcore.i18n import render_error
from coopcore.validation import bank_account
from coopcore.validation.bank_account import format_account, mask_account
from coopcore.validation.problems import AccountLength, CardChecksumFails, CardLength, InvalidFormat

# Published test numbers, not computed here: Luhn's own example (Wikipedia, "Luhn algorithm"), Visa's 4111…,
# and two UnionPay test cards of Stripe's documentation (16 and 19 digits).
LUHN_EXAMPLE = "79927398713"
UNIONPAY_16 = "6200000000000005"
UNIONPAY_19 = "6205500000000000004"
VISA = "4111111111111111"


def test_luhn_agrees_with_the_published_examples() -> None:
    assert bank_account.passes_luhn(LUHN_EXAMPLE)
    assert bank_account.luhn_check_digit(LUHN_EXAMPLE[:-1]) == "3"
    assert not bank_account.passes_luhn("79927398710")
    for number in (UNIONPAY_16, UNIONPAY_19, VISA):
        assert bank_account.passes_luhn(number), number


@pytest.mark.parametrize("number", [UNIONPAY_16, UNIONPAY_19])
def test_a_unionpay_card_that_passes_its_check_digit_is_valid(number: str) -> None:
    assert bank_account.validate(number) == number


@pytest.mark.parametrize(
    "typed",
    [
        "6205 5000 0000 0000 004",
        "6205-5000-0000-0000-004",
        "６２０５\u3000５０００００００００００００４",  # full-width digits and an ideographic space
        " 6205500000000000004\t",
    ],
)
def test_spaces_hyphens_and_full_width_digits_are_dropped(typed: str) -> None:
    assert bank_account.validate(typed) == UNIONPAY_19


@pytest.mark.parametrize("wrong", ["6205500000000000005", "6205500000000000040", "6250500000000000004"])
def test_a_card_with_a_mistyped_or_swapped_digit_is_refused(wrong: str) -> None:
    with pytest.raises(CardChecksumFails) as refused:
        bank_account.validate(wrong)
    assert "请核对卡号" in render_error(refused.value, "zh")
    assert format_account(wrong) in render_error(refused.value, "zh")  # in groups of four, to compare with the card


@pytest.mark.parametrize("number", ["620000000000005", "62055000000000000040"])
def test_a_number_starting_with_62_has_the_length_of_a_card_or_is_refused(number: str) -> None:
    with pytest.raises(CardLength) as refused:
        bank_account.validate(number)
    assert "银行卡号应为 16 至 19 位" in render_error(refused.value, "zh")
    # Said to be a passbook account, the same number is taken as it is.
    assert bank_account.validate(number, card=False) == number


def test_a_passbook_account_is_not_checked_for_a_card_check_digit() -> None:
    # A 19-digit passbook account of a branch (0200…), and an 一卡通 account that fails Luhn but is said not a card.
    assert bank_account.validate("0200 0012 0100 1234 567") == "0200001201001234567"
    assert not bank_account.passes_luhn("6205500000000000005")
    assert bank_account.validate("6205500000000000005", card=False) == "6205500000000000005"
    assert bank_account.validate("110012345678") == "110012345678"


def test_a_number_said_to_be_a_card_is_checked_whatever_its_prefix() -> None:
    assert bank_account.validate(VISA) == VISA  # not 62: a passbook account unless said otherwise
    assert bank_account.validate("4111111111111112") == "4111111111111112"
    assert bank_account.validate(VISA, card=True) == VISA
    with pytest.raises(CardChecksumFails):
        bank_account.validate("4111111111111112", card=True)
    with pytest.raises(CardLength):
        bank_account.validate("110012345678", card=True)


@pytest.mark.parametrize("number", ["1234567", "1" * 31])
def test_an_account_number_has_8_to_30_digits(number: str) -> None:
    with pytest.raises(AccountLength) as refused:
        bank_account.validate(number)
    assert "账号应为 8 至 30 位" in render_error(refused.value, "zh")


def test_the_shortest_and_longest_account_numbers_pass() -> None:
    assert bank_account.is_valid("12345678") and bank_account.is_valid("1" * 30)


@pytest.mark.parametrize("number", ["6222O21234560123", "6222 0212 3456 012a", "١٢٣٤٥٦٧٨٩", "", "+8613800138000"])
def test_anything_but_digits_is_refused(number: str) -> None:
    with pytest.raises(InvalidFormat):
        bank_account.validate(number)
    assert not bank_account.is_valid(number)


def test_format_writes_groups_of_four() -> None:
    assert format_account("6205500000000000004") == "6205 5000 0000 0000 004"
    assert format_account("6200-0000 0000 0005") == "6200 0000 0000 0005"


def test_a_masked_number_shows_its_first_and_last_four_digits_only() -> None:
    assert mask_account("6222021234560123") == "6222 **** **** 0123"
    assert mask_account("6222 0212 3456 0123") == "6222 **** **** 0123"
    assert mask_account(UNIONPAY_19) == "6205 **** **** *** 0004"
    assert mask_account(None) == "" and mask_account("") == ""
    assert mask_account("110012345") == "**** * 2345"  # a short number keeps its head hidden too
    assert mask_account("12345678") == "**** 5678"
    assert mask_account("1234") == "****" and mask_account("1234567") == "**** ***"


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_a_masked_number_always_hides_at_least_four_digits_and_at_most_shows_eight(number: str) -> None:
    masked = mask_account(number)
    shown = sum(char.isdigit() for char in masked)
    hidden = masked.count("*")
    assert shown + hidden == len(number)
    assert hidden >= min(4, len(number)) and shown <= 8
    assert masked.replace(" ", "").endswith(number[-4:] if len(number) >= 8 else "*" * len(number))
