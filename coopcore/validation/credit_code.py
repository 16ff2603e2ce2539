"""The 18-character unified social credit code (统一社会信用代码, GB 32100-2015): compact, check, validate."""

from __future__ import annotations

from coopcore.errors import InvalidValue
from coopcore.validation.folding import fold
from coopcore.validation.problems import InvalidChecksum, InvalidFormat, InvalidLength, OutsideAlphabet

# 31 symbols valued 0-30; I, O, Z, S and V are left out so they cannot be misread as 1, 0, 2, 5 and U.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_DIGITS = frozenset("0123456789")
# GB 11714 organisation code (positions 9-17): weights on its first 8 characters, letters A=10 ... Z=35.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def compact(number: str) -> str:
    """Fold full-width characters to ASCII, drop every space and hyphen and upper-case the code."""
    return fold(number).replace("-", "").upper()


def calc_check_digit(first17: str) -> str:
    """Return the check character for the first 17 characters."""
    if len(first17) != 17 or not set(first17) <= _VALUES.keys():
        raise InvalidFormat(value=first17, reason="expected 17 characters of the code alphabet")
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate(number: str) -> str:
    """Check alphabet, length, region digits and check character; return the compact code."""
    number = compact(number)
    bad = sorted(set(number) - _VALUES.keys())
    if bad:
        raise OutsideAlphabet(value=number, characters=", ".join(bad), alphabet=ALPHABET)
    if len(number) != 18:
        raise InvalidLength(value=number, expected=18, actual=len(number))
    # Positions 1-2 may be letters (village collectives are "N1".."N9"), unlike stdnum.cn.uscc (domain.md §12.2).
    if not set(number[2:8]) <= _DIGITS:
        raise InvalidFormat(value=number, reason="positions 3-8 must be the 6-digit region code")
    expected = calc_check_digit(number[:17])
    if number[17] != expected:
        raise InvalidChecksum(value=number, expected=expected)
    return number


def is_valid(number: str) -> bool:
    """Return whether the code passes validate()."""
    try:
        validate(number)
    except InvalidValue:
        return False
    return True


def calc_organisation_check_digit(first8: str) -> str:
    """Return the GB 11714 check character for the first 8 characters of an organisation code."""
    if len(first8) != 8 or not first8.isascii() or not first8.isalnum():
        raise InvalidFormat(value=first8, reason="expected 8 digits or upper-case letters")
    total = sum(int(char, 36) * weight for char, weight in zip(first8.upper(), _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def organisation_code_warning(code: str) -> str | None:
    """Return a warning if positions 9-17 fail the GB 11714 check, else None; raise if the code is invalid."""
    code = validate(code)
    organisation_code = code[8:17]
    expected = calc_organisation_check_digit(organisation_code[:8])
    if organisation_code[8] == expected:
        return None
    # Only a warning (domain.md §12.2): the registry's check character is what counts, and some
    # issued codes carry subject IDs that were never GB 11714 organisation codes.
    return (
        f"organisation code {organisation_code} (positions 9-17 of {code}) has check character "
        f"{organisation_code[8]}, GB 11714 expects {expected}"
    )
