"""The validation problems raised by coopcore.validation, each an InvalidValue with its own message template.

Every template and every `reason` is a msgid of validation.po: a reason is a fixed phrase (translated as a
Term), and a problem whose explanation carries a value has a template of its own, so no English is left over
in a Chinese message.
"""

from __future__ import annotations

from typing import Any

from coopcore.errors import InvalidValue, Term


class _Reasoned(InvalidValue):
    """{value!r} is invalid: {reason}"""

    def __init__(self, message: str | None = None, **fields: Any) -> None:
        if isinstance(fields.get("reason"), str):
            fields["reason"] = Term(fields["reason"])  # a fixed phrase, translated with the message
        super().__init__(message, **fields)


class InvalidFormat(_Reasoned):
    """{value!r} has the wrong format: {reason}"""


class InvalidLength(InvalidValue):
    """{value!r} must have {expected} characters, it has {actual}"""


class InvalidChecksum(InvalidValue):
    """{value!r} has a wrong check character: expected {expected}"""


class InvalidComponent(_Reasoned):
    """{value!r} has an invalid part: {reason}"""


class OutOfRange(InvalidValue):
    """{value!r} must be more than {minimum} and at most {maximum}"""


class TooManyPlaces(InvalidFormat):
    """{value!r} has the wrong format: at most {places} decimal places are allowed"""


class OutsideAlphabet(InvalidFormat):
    """{value!r} has the wrong format: these characters are not in the code alphabet {alphabet}: {characters}"""


class NotARealDate(InvalidComponent):
    """{value!r} has an invalid part: birth date {digits} is not a real date"""


class BornInFuture(InvalidComponent):
    """{value!r} has an invalid part: birth date {born_on} is in the future"""


class CardLength(InvalidValue):
    """{value!r} has {actual} digits, a bank card has 16 to 19: check the number, or say it is a passbook account"""


class CardChecksumFails(InvalidChecksum):
    """{value!r} is not a card number: its last digit does not fit the others (a digit is mistyped or swapped); \
check it, or say it is a passbook account"""


class AccountLength(InvalidValue):
    """{value!r} has {actual} digits, an account number has 8 to 30"""
