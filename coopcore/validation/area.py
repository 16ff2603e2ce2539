"""Land areas in mu (亩): exact Decimals, positive, at most 4 decimal places and 100,000 mu."""

from __future__ import annotations

from decimal import Decimal

from coopcore.validation.problems import InvalidFormat, OutOfRange, TooManyPlaces

MAX_AREA_MU = Decimal(100000)
AREA_MU_PLACES = 4
_QUANTUM = Decimal(1).scaleb(-AREA_MU_PLACES)


def validate_mu(value: Decimal | int) -> Decimal:
    """Check that an area in mu is a positive exact number within bounds; return it as a Decimal."""
    # bool is an int subclass and float is inexact: both are programming errors, not bad input.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"area in mu must be a Decimal or int, not {type(value).__name__}")
    area = value if isinstance(value, Decimal) else Decimal(value)
    if not area.is_finite():
        raise InvalidFormat(value=value, reason="not a finite number")
    if not Decimal(0) < area <= MAX_AREA_MU:
        raise OutOfRange(value=value, minimum=0, maximum=MAX_AREA_MU)
    # Trailing zeros (1.50000) are harmless; only digits beyond the fourth place lose precision in storage.
    if area != area.quantize(_QUANTUM):
        raise TooManyPlaces(value=value, places=AREA_MU_PLACES)
    return area
