"""The 18-digit resident ID number (公民身份号码, GB 11643-1999): compact, check digit, validate."""

from __future__ import annotations

from datetime import date

from coopcore.errors import InvalidValue
from coopcore.validation.folding import fold
from coopcore.validation.problems import BornInFuture, InvalidChecksum, InvalidFormat, InvalidLength, NotARealDate

# ISO 7064 MOD 11-2: W_i = 2^(18-i) mod 11 for i = 1..17; the check character is indexed by S mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")


def compact(number: str) -> str:
    """Fold full-width characters to ASCII, drop every space and upper-case a trailing x."""
    return fold(number).upper()


def calc_check_digit(first17: str) -> str:
    """Return the check character (0-9 or X) for the first 17 digits."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise InvalidFormat(value=first17, reason="expected 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def birth_date(number: str) -> date:
    """Return the birth date encoded in positions 7-14 of an 18-digit number."""
    number = compact(number)
    if len(number) != 18:
        raise InvalidLength(value=number, expected=18, actual=len(number))
    digits = number[6:14]
    if not set(digits) <= _DIGITS:
        raise InvalidFormat(value=number, reason="positions 7-14 must be the birth date YYYYMMDD")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise NotARealDate(value=number, digits=digits) from None


def validate(number: str, *, today: date | None = None) -> str:
    """Check length, format, birth date and check character; return the compact number."""
    number = compact(number)
    if not set(number) <= _DIGITS | {"X"}:
        raise InvalidFormat(value=number, reason="only digits and a final X are allowed")
    if len(number) == 15 and set(number) <= _DIGITS:
        # The 1989 format is refused for new entries (domain.md §12.1); the caller may convert it explicitly.
        raise InvalidFormat(
            value=number,
            reason="15-digit (1989) numbers are not accepted; convert with upgrade_15()",
        )
    if len(number) != 18:
        raise InvalidLength(value=number, expected=18, actual=len(number))
    if "X" in number[:17]:
        raise InvalidFormat(value=number, reason="X is only allowed as the last character")
    born_on = birth_date(number)
    if born_on > (today or date.today()):
        raise BornInFuture(value=number, born_on=born_on.isoformat())
    # No address-code lookup: IDs keep the county code of their issue date, so stdnum's
    # birth-year check rejects real older rural members (domain.md §12.1).
    expected = calc_check_digit(number[:17])
    if number[17] != expected:
        raise InvalidChecksum(value=number, expected=expected)
    return number


def is_valid(number: str, *, today: date | None = None) -> bool:
    """Return whether the number passes validate()."""
    try:
        validate(number, today=today)
    except InvalidValue:
        return False
    return True


def upgrade_15(number15: str) -> str:
    """Convert a 15-digit (1989) number to 18 digits: insert century 19 and append the check character."""
    number15 = compact(number15)
    if len(number15) != 15:
        raise InvalidLength(value=number15, expected=15, actual=len(number15))
    if not set(number15) <= _DIGITS:
        raise InvalidFormat(value=number15, reason="a 15-digit number has digits only")
    body = number15[:6] + "19" + number15[6:]
    return validate(body + calc_check_digit(body))
