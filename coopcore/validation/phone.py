"""Mainland China mobile phone numbers: 11 digits starting 13-19, with an optional +86 / 0086 prefix."""

from __future__ import annotations

import re

from coopcore.errors import InvalidValue
from coopcore.validation.folding import fold
from coopcore.validation.problems import InvalidFormat, InvalidLength

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_COUNTRY_PREFIXES = ("+86", "0086")


def compact(number: str) -> str:
    """Fold full-width characters to ASCII, drop every space and hyphen and a +86 or 0086 country prefix."""
    number = fold(number).replace("-", "")
    for prefix in _COUNTRY_PREFIXES:
        if number.startswith(prefix):
            return number[len(prefix) :]
    return number


def validate(number: str) -> str:
    """Check that the number is an 11-digit mainland mobile number; return it compact."""
    number = compact(number)
    if not number.isascii() or not number.isdigit():
        raise InvalidFormat(value=number, reason="only digits are allowed")
    if len(number) != 11:
        raise InvalidLength(value=number, expected=11, actual=len(number))
    if not _MOBILE.fullmatch(number):
        raise InvalidFormat(value=number, reason="a mobile number starts with 13 to 19")
    return number


def is_valid(number: str) -> bool:
    """Return whether the number passes validate()."""
    try:
        validate(number)
    except InvalidValue:
        return False
    return True
