"""Unit tests for the 18-digit resident ID validator (domain.md §12.1, §15 rule 37)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcore.errors import InvalidValue
from coopcore.validation import resident_id
from coopcore.validation.problems import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

TODAY = date(2025, 6, 30)


def test_standard_example_with_check_x_is_valid() -> None:
    assert resident_id.validate("11010519491231002X") == "11010519491231002X"


def test_lower_case_x_is_accepted_and_normalised_to_upper_case() -> None:
    assert resident_id.validate("11010519491231002x") == "11010519491231002X"
    assert resident_id.compact(" 11010519491231002x ") == "11010519491231002X"


def full_width(text: str) -> str:
    """The same characters as typed with a Chinese input method in full-width mode (５４２３…, Ｘ)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@pytest.mark.parametrize(
    "typed",
    [
        full_width("11010519491231002X"),
        full_width("11010519491231002x"),
        "110105\u300019491231\u3000002X",  # ideographic spaces between the groups
        "\u00a0110105 19491231 002X\u00a0",  # non-breaking spaces from a web page or a Word table
        "110105\t19491231\n002X\u200b",  # a tab, a line break and a zero-width space pasted along
        "\ufeff" + full_width("110105") + "\u2002" + "19491231002Ｘ",
    ],
)
def test_full_width_digits_and_any_unicode_space_are_folded_to_ascii(typed: str) -> None:
    assert resident_id.compact(typed) == "11010519491231002X"
    assert resident_id.validate(typed) == "11010519491231002X"


def test_wrong_check_character_is_reported_with_the_expected_one() -> None:
    with pytest.raises(InvalidChecksum) as caught:
        resident_id.validate("110105194912310021")
    assert caught.value.fields["expected"] == "X"
    assert str(caught.value) == "'110105194912310021' has a wrong check character: expected X"


def test_old_rural_id_rejected_by_stdnum_is_valid_here() -> None:
    assert resident_id.validate("370611196005051230") == "370611196005051230"
    assert resident_id.is_valid("370602196005051234")
    assert resident_id.is_valid("230306196304054513")


def test_address_code_without_county_info_is_valid_and_raises_nothing() -> None:
    assert resident_id.validate("370671198505051240") == "370671198505051240"
    assert resident_id.is_valid("370671198505051240") is True


@pytest.mark.parametrize("number", ["370602199001011239", "360426199101010071"])
def test_verified_values_are_valid(number: str) -> None:
    assert resident_id.is_valid(number)


def test_verified_bad_checksum_is_invalid() -> None:
    assert not resident_id.is_valid("370611199001011236")
    with pytest.raises(InvalidChecksum):
        resident_id.validate("370611199001011236")


@pytest.mark.parametrize("first17, check", [("11010519491231002", "X"), ("36042619910101007", "1")])
def test_check_digit_follows_iso_7064_mod_11_2(first17: str, check: str) -> None:
    assert resident_id.calc_check_digit(first17) == check


def test_check_digit_needs_seventeen_digits() -> None:
    with pytest.raises(InvalidFormat):
        resident_id.calc_check_digit("1101051949123100")


def test_birth_date_is_read_from_positions_seven_to_fourteen() -> None:
    assert resident_id.birth_date("11010519491231002X") == date(1949, 12, 31)


def test_future_birth_date_is_rejected() -> None:
    body = "37061120300101123"
    number = body + resident_id.calc_check_digit(body)
    with pytest.raises(InvalidComponent, match="in the future"):
        resident_id.validate(number, today=TODAY)
    assert not resident_id.is_valid(number)


def test_birth_date_today_is_accepted() -> None:
    body = "37061120250630123"
    assert resident_id.is_valid(body + resident_id.calc_check_digit(body), today=TODAY)


@pytest.mark.parametrize("birth", ["19490230", "19491301", "19490000", "00000101"])
def test_impossible_birth_date_is_rejected(birth: str) -> None:
    body = "110105" + birth + "002"
    with pytest.raises(InvalidComponent, match="not a real date"):
        resident_id.validate(body + resident_id.calc_check_digit(body))


@pytest.mark.parametrize("number", ["11010519491231002", "11010519491231002X1", ""])
def test_wrong_length_is_rejected(number: str) -> None:
    with pytest.raises(InvalidLength):
        resident_id.validate(number)


@pytest.mark.parametrize("number", ["1101051949123100X2", "11010519491231002A", "110105-19491231002X"])
def test_letters_other_than_a_final_x_are_rejected(number: str) -> None:
    with pytest.raises(InvalidFormat):
        resident_id.validate(number)


def test_fifteen_digit_number_is_rejected_with_a_hint_to_upgrade() -> None:
    with pytest.raises(InvalidFormat, match="upgrade_15"):
        resident_id.validate("110105491231002")


def test_fifteen_digit_number_upgrades_by_inserting_the_century_and_a_check_character() -> None:
    assert resident_id.upgrade_15("110105491231002") == "11010519491231002X"


def test_upgrade_refuses_anything_but_fifteen_digits() -> None:
    with pytest.raises(InvalidLength):
        resident_id.upgrade_15("11010519491231002X")
    with pytest.raises(InvalidFormat):
        resident_id.upgrade_15("11010549123100X")


def test_every_problem_is_an_invalid_value_and_a_value_error() -> None:
    with pytest.raises(InvalidValue):
        resident_id.validate("110105194912310021")
    with pytest.raises(ValueError):
        resident_id.validate("abc")


bodies = st.builds(
    lambda address, born_on, sequence: f"{address:06d}{born_on:%Y%m%d}{sequence:03d}",
    st.integers(0, 999_999),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(0, 999),
)


@given(body=bodies)
def test_body_with_its_check_character_validates_and_any_single_change_breaks_it(
    body: str,
) -> None:
    number = body + resident_id.calc_check_digit(body)
    assert resident_id.validate(number, today=TODAY) == number
    for position, original in enumerate(number):
        for replacement in "0123456789X":
            if replacement != original:
                changed = number[:position] + replacement + number[position + 1 :]
                assert not resident_id.is_valid(changed, today=TODAY), changed


def test_future_birth_date_is_rejected_against_the_real_date_by_default() -> None:
    body = "37061129990101123"
    with pytest.raises(InvalidComponent, match="in the future"):
        resident_id.validate(body + resident_id.calc_check_digit(body))


@given(body=bodies, spaces=st.lists(st.sampled_from(" \u3000\u00a0\u2009\t\u200b"), max_size=4))
def test_a_valid_number_typed_in_full_width_with_spaces_gives_the_same_number(body: str, spaces: list[str]) -> None:
    number = body + resident_id.calc_check_digit(body)
    typed = full_width(number[:6]) + "".join(spaces) + number[6:14] + "".join(spaces) + full_width(number[14:])
    assert resident_id.validate(typed, today=TODAY) == number
