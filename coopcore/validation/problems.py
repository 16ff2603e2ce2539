"""The validation problems raised by coopcore.validation, each an InvalidValue with its own message template."""

from __future__ import annotations

from coopcore.errors import InvalidValue


class InvalidFormat(InvalidValue):
    """{value!r} has the wrong format: {reason}"""


class InvalidLength(InvalidValue):
    """{value!r} must have {expected} characters, it has {actual}"""


class InvalidChecksum(InvalidValue):
    """{value!r} has a wrong check character: expected {expected}"""


class InvalidComponent(InvalidValue):
    """{value!r} has an invalid part: {reason}"""


class OutOfRange(InvalidValue):
    """{value!r} must be more than {minimum} and at most {maximum}"""
