"""Bank card and account numbers a household is paid to (银行卡号 / 存折账号, 一卡通): compact, check, format, mask.

The rule, kept here and nowhere else (the admin form, the `coop` command and the services all call validate):

* Spaces (full-width ones too) and hyphens are dropped; what is left must be digits only.
* A card number is 16 to 19 digits and its last digit is the Luhn check digit (ISO/IEC 7812-1 annex B, which
  UnionPay's cards follow), so a mistyped or swapped digit is caught before the bank returns the payment.
* Which numbers are cards: the user may say so either way (`card=True` / `card=False`). Unsaid, a number starting
  with 62 is taken for a card whatever its length: 62 is UnionPay's range, which holds the debit cards, social
  security cards and 惠农一卡通 cards households are paid to, and a card with a digit too many or too few must not
  pass as an account. Any other number is taken for a passbook (存折) or 一卡通 account.
* A passbook or account number has no check digit anyone publishes (each bank numbers its own), so it is only
  checked for 8 to 30 digits: fewer is a fragment, more does not fit a bank's batch file (代发) account field.
"""

from __future__ import annotations

from coopcore.errors import InvalidValue
from coopcore.validation.folding import fold
from coopcore.validation.problems import (
    AccountLength,
    CardChecksumFails,
    CardLength,
    InvalidFormat,
)

CARD_LENGTHS = range(16, 20)
ACCOUNT_LENGTHS = range(8, 31)
CARD_PREFIX = "62"  # UnionPay (银联)
SHOWN = 4  # digits left visible at each end of a masked number


def compact(number: str) -> str:
    """Fold full-width characters to ASCII and drop every space and hyphen."""
    return fold(number).replace("-", "")


def luhn_check_digit(body: str) -> str:
    """Return the Luhn check digit that completes `body` (all digits but the last)."""
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit)
        if position % 2 == 0:  # every second digit from the right, starting with the one next to the check digit
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str(-total % 10)


def passes_luhn(number: str) -> bool:
    """Return whether the last digit of an all-digit number is its Luhn check digit."""
    return len(number) > 1 and luhn_check_digit(number[:-1]) == number[-1]


def looks_like_card(number: str) -> bool:
    """Return whether a compact number is taken for a card when nobody says (it starts with UnionPay's 62)."""
    return number.startswith(CARD_PREFIX)


def validate(number: str, *, card: bool | None = None) -> str:
    """Check a card (16-19 digits, Luhn) or a passbook account (8-30 digits); return the number compact.

    `card` says what the number is; None decides by looks_like_card.
    """
    number = compact(number)
    if not number.isascii() or not number.isdigit():
        raise InvalidFormat(value=number, reason="only digits are allowed")
    if card is None:
        card = looks_like_card(number)
    if not card:
        if len(number) not in ACCOUNT_LENGTHS:
            raise AccountLength(value=number, actual=len(number))
        return number
    if len(number) not in CARD_LENGTHS:
        raise CardLength(value=format_account(number), actual=len(number))
    if not passes_luhn(number):
        raise CardChecksumFails(value=format_account(number))
    return number


def is_valid(number: str, *, card: bool | None = None) -> bool:
    """Return whether the number passes validate()."""
    try:
        validate(number, card=card)
    except InvalidValue:
        return False
    return True


def format_account(number: str) -> str:
    """Write a number in groups of four digits, as cards print it: 6222 0212 3456 7890 123."""
    number = compact(number)
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def mask_account(number: str | None) -> str:
    """Show the first and last four digits only: 6222 **** **** 0123; "" for no number.

    The one way a number is shown to whoever may not read it whole (coopcore.services.access.Scope.keeps_books).
    A short number keeps its first digits (and one under 8 digits its last ones) hidden too: at least four digits
    are always hidden.
    """
    number = compact(number or "")
    if not number:
        return ""
    tail = number[-SHOWN:] if len(number) >= 2 * SHOWN else ""
    head = number[:SHOWN] if len(number) >= 3 * SHOWN else ""
    hidden = "*" * (len(number) - len(head) - len(tail))
    stars = " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))
    return " ".join(part for part in (head, stars, tail) if part)
