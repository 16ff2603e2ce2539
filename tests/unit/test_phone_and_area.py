"""Unit tests for mainland mobile numbers and land areas in mu."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coopcore.validation import area, phone
from coopcore.validation.problems import InvalidFormat, InvalidLength, OutOfRange


@pytest.mark.parametrize(
    "number",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+8613800138000",
        "+86 138 0013 8000",
        "008613800138000",
        "１３８００１３８０００",  # full-width
        "＋８６\u3000138\u00a00013\u00a08000",  # full-width plus, ideographic and non-breaking spaces
    ],
)
def test_mobile_number_is_compacted_to_eleven_digits(number: str) -> None:
    assert phone.validate(number) == "13800138000"


@pytest.mark.parametrize("number", ["13000000000", "19912345678", "16612345678"])
def test_mobile_numbers_from_13_to_19_are_valid(number: str) -> None:
    assert phone.is_valid(number)


@pytest.mark.parametrize("number", ["12800138000", "10800138000", "23800138000"])
def test_mobile_number_not_starting_13_to_19_is_an_invalid_format(number: str) -> None:
    with pytest.raises(InvalidFormat):
        phone.validate(number)


@pytest.mark.parametrize("number", ["1380013800", "138001380001", "8613800138000"])
def test_mobile_number_of_wrong_length_is_rejected(number: str) -> None:
    with pytest.raises(InvalidLength):
        phone.validate(number)


@pytest.mark.parametrize("number", ["0535-6123456x", "1380013800a", "١٣٨٠٠١٣٨٠٠٠", ""])
def test_mobile_number_with_other_characters_is_rejected(number: str) -> None:
    assert not phone.is_valid(number)


@pytest.mark.parametrize("value", [Decimal("0.0001"), Decimal("3.5"), Decimal("12.3456"), Decimal(100000)])
def test_valid_area_is_returned_unchanged(value: Decimal) -> None:
    assert area.validate_mu(value) is value


def test_integer_area_is_accepted_as_an_exact_decimal() -> None:
    assert area.validate_mu(7) == Decimal(7)
    assert isinstance(area.validate_mu(7), Decimal)


def test_trailing_zeros_beyond_four_places_are_harmless() -> None:
    assert area.validate_mu(Decimal("1.50000")) == Decimal("1.5")


@pytest.mark.parametrize("value", [1.5, True, "1.5", None])
def test_float_bool_and_text_areas_are_refused_with_a_type_error(value: object) -> None:
    with pytest.raises(TypeError):
        area.validate_mu(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [Decimal(0), Decimal("-0"), Decimal("-1.5"), Decimal("100000.0001"), 100001],
)
def test_area_must_be_positive_and_at_most_one_hundred_thousand_mu(
    value: Decimal | int,
) -> None:
    with pytest.raises(OutOfRange):
        area.validate_mu(value)


def test_area_with_more_than_four_decimal_places_is_rejected() -> None:
    with pytest.raises(InvalidFormat, match="4 decimal places"):
        area.validate_mu(Decimal("1.00005"))


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("sNaN")])
def test_area_that_is_not_a_finite_number_is_rejected(value: Decimal) -> None:
    with pytest.raises(InvalidFormat):
        area.validate_mu(value)
