"""Unit tests for the unified social credit code validator (domain.md §12.2, §15 rule 38)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcore.errors import InvalidValue
from coopcore.validation import credit_code
from coopcore.validation.problems import InvalidChecksum, InvalidFormat, InvalidLength


def test_stdnum_doctest_code_is_valid() -> None:
    assert credit_code.validate("91110000600037341L") == "91110000600037341L"


def test_wrong_check_character_is_an_invalid_checksum() -> None:
    with pytest.raises(InvalidChecksum) as caught:
        credit_code.validate("91110000600037341K")
    assert caught.value.fields["expected"] == "L"
    assert not credit_code.is_valid("91110000600037341K")


def test_uscc_utils_example_is_valid() -> None:
    assert credit_code.is_valid("91110108551385082Q")


def test_village_collective_code_rejected_by_stdnum_is_valid_here() -> None:
    assert credit_code.calc_check_digit("N2370602MF0000000") == "D"
    assert credit_code.validate("N2370602MF0000000D") == "N2370602MF0000000D"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
@pytest.mark.parametrize("position", [0, 1, 9, 16, 17])
def test_code_containing_a_letter_outside_the_alphabet_is_an_invalid_format(letter: str, position: int) -> None:
    code = "91110000600037341L"
    changed = code[:position] + letter + code[position + 1 :]
    with pytest.raises(InvalidFormat, match="not in the code alphabet"):
        credit_code.validate(changed)


def test_letter_outside_the_alphabet_is_an_invalid_format_even_at_the_wrong_length() -> None:
    with pytest.raises(InvalidFormat):
        credit_code.validate("9111000060003734O")


def test_region_code_must_be_six_digits() -> None:
    body = "9311A602MA3ABCDE1"
    with pytest.raises(InvalidFormat, match="positions 3-8"):
        credit_code.validate(body + credit_code.calc_check_digit(body))


@pytest.mark.parametrize("code", ["91110000600037341", "91110000600037341L0", ""])
def test_wrong_length_is_rejected(code: str) -> None:
    with pytest.raises(InvalidLength):
        credit_code.validate(code)


def test_spaces_hyphens_and_lower_case_are_compacted() -> None:
    assert credit_code.compact(" 9111-0000-6000 3734 1l ") == "91110000600037341L"
    assert credit_code.validate("91110000-600037341-l") == "91110000600037341L"


@pytest.mark.parametrize(
    "typed",
    [
        "９１１１００００６０００３７３４１Ｌ",  # full-width, as a Chinese input method types it
        "９１１１００００６０００３７３４１ｌ",
        "91110000\u3000600037341L",  # an ideographic space
        "\u00a091110000 600037341L\u00a0",  # non-breaking spaces from a web page
        "９１１１００００－６０００３７３４１\u200bL",  # a full-width hyphen and a zero-width space
        "91110000\u202f600037341\r\nL",
    ],
)
def test_full_width_characters_and_any_unicode_space_are_folded_to_ascii(typed: str) -> None:
    assert credit_code.compact(typed) == "91110000600037341L"
    assert credit_code.validate(typed) == "91110000600037341L"


@pytest.mark.parametrize("first8, check", [("60003734", "1"), ("55138508", "2")])
def test_organisation_code_check_follows_gb_11714(first8: str, check: str) -> None:
    assert credit_code.calc_organisation_check_digit(first8) == check


def test_consistent_organisation_code_gives_no_warning() -> None:
    assert credit_code.organisation_code_warning("91110000600037341L") is None
    assert credit_code.organisation_code_warning("91110108551385082Q") is None


def test_inconsistent_organisation_code_is_only_a_warning() -> None:
    warning = credit_code.organisation_code_warning("N2370602MF0000000D")
    assert warning is not None and "GB 11714" in warning
    assert credit_code.is_valid("N2370602MF0000000D")


def test_organisation_code_warning_refuses_an_invalid_code() -> None:
    with pytest.raises(InvalidValue):
        credit_code.organisation_code_warning("91110000600037341K")


bodies = st.builds(
    lambda head, region, subject: head + region + subject,
    st.text(credit_code.ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(credit_code.ALPHABET, min_size=9, max_size=9),
)


@given(body=bodies)
def test_body_with_its_check_character_validates_and_any_single_change_breaks_it(
    body: str,
) -> None:
    code = body + credit_code.calc_check_digit(body)
    assert credit_code.validate(code) == code
    for position, original in enumerate(code):
        for replacement in credit_code.ALPHABET:
            if replacement != original:
                assert not credit_code.is_valid(code[:position] + replacement + code[position + 1 :])
