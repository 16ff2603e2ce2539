"""Exact money: yuan as Decimal to the fen, named rounding, and pools split by the largest-remainder method."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from math import lcm

from coopcore.errors import InvalidValue

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Return value as a finite Decimal; floats and bools are refused, never coerced."""
    # A float has already lost the fen (0.1 + 0.2 != 0.3); refusing it keeps every amount exact.
    if isinstance(value, float | bool):
        raise TypeError(f"money must be Decimal, int or str, not {type(value).__name__}: {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise InvalidValue(value=value) from None
    else:
        raise TypeError(f"money must be Decimal, int or str, not {type(value).__name__}")
    if not number.is_finite():
        raise InvalidValue(value=value)
    return number


def to_money(value: Decimal | int | str) -> Decimal:
    """Return value in yuan rounded half-up (四舍五入) to the fen; what rounds to zero is 0.00, never -0.00."""
    money = to_decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)
    # -0.004 quantizes to Decimal("-0.00"), which babel prints "-¥0.00" while the words say 零元整.
    return money.copy_abs() if money.is_zero() else money


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round value half-up to the given number of decimal places."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio_half_up(numerator: Decimal, denominator: Decimal, places: int) -> Decimal:
    """numerator / denominator rounded half-up to `places`, exactly: on fractions, so a quotient a hair under a half
    is never rounded up as a 28-digit Decimal division (or scaleb) would."""
    top, bottom = to_decimal(numerator), to_decimal(denominator)
    if bottom == 0:
        raise InvalidValue("a ratio over zero: {value} / 0", value=numerator)
    exact = Fraction(top) / Fraction(bottom) * 10**places
    whole, left = divmod(abs(exact.numerator), exact.denominator)
    if 2 * left >= exact.denominator:  # ROUND_HALF_UP: a half goes away from zero
        whole += 1
    return Decimal(whole if exact >= 0 else -whole).scaleb(-places)


def ceil_to_fen(value: Decimal) -> Decimal:
    """Round value up (towards +infinity) to the fen; used where the law sets a floor ("不得低于")."""
    return to_decimal(value).quantize(FEN, rounding=ROUND_CEILING)


def decimal_places(value: Decimal) -> int:
    """Return how many decimal places value carries once trailing zeros are dropped."""
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@cache
def quantum(places: int) -> Decimal:
    """10**-places as a Decimal (0.01 for 2), the argument of quantize()."""
    return Decimal(1).scaleb(-places)


def has_places(value: Decimal, places: int) -> bool:
    """Whether value is a whole number of 10**-places: 1.50 and 1.5 have 2 places, 1.505 has not."""
    try:
        # Several times faster than counting with normalize(); bulk writes check every amount this way.
        return value == value.quantize(quantum(places))
    except InvalidOperation:  # more digits than the decimal context holds: count them instead
        return decimal_places(value) <= places


def allocate(pool: Decimal, weights: Mapping[str, Decimal | int]) -> dict[str, Decimal]:
    """Split pool among the keys of weights in proportion, to the fen, by the largest-remainder method.

    docs/distribution.md: every key first gets the floor of its exact share in fen; the fen left over go one
    each to the largest fractional parts, ties to the larger weight, then to the smaller key. The parts sum
    to the pool exactly and each is within one fen of its exact proportional value.
    """
    amount = to_decimal(pool)
    if amount < 0:
        raise InvalidValue("pool must not be negative: {value}", value=pool)
    if not has_places(amount, 2):
        raise InvalidValue("pool {value} is not a whole number of fen", value=pool)
    # Each weight as an exact fraction numerator / denominator (a Decimal's denominator is 2**a * 5**b). Over
    # their common denominator the weights are integers, which rank exactly as the fractions would; the shares and
    # remainders are then integer arithmetic, far faster than on fractions (a split runs over every member).
    ratios: list[tuple[int, int]] = []
    for key, weight in weights.items():
        # The equal splits weigh each member 1 (an int; a bool is not one, and to_decimal refuses it).
        ratio = (weight, 1) if type(weight) is int else to_decimal(weight).as_integer_ratio()
        if ratio[0] < 0:
            raise InvalidValue("weight of {key} must not be negative: {value}", key=key, value=weight)
        ratios.append(ratio)
    total_fen = int(amount.scaleb(2))
    if total_fen == 0:  # nothing to split (often the subsidy and donation pools): skip the arithmetic
        return dict.fromkeys(weights, ZERO)
    common = lcm(*(denominator for _, denominator in ratios)) if ratios else 1
    scaled = [numerator * (common // denominator) for numerator, denominator in ratios]
    total_weight = sum(scaled)
    if total_weight == 0:
        raise InvalidValue("a pool of {value} cannot be split over a total weight of zero", value=pool)

    base: dict[str, int] = {}
    remainders: list[tuple[int, int, str]] = []
    for key, weight in zip(weights, scaled, strict=True):
        base[key], remainder = divmod(total_fen * weight, total_weight)
        if remainder:  # the left-over fen are fewer than the non-zero remainders: a zero one never gets a fen
            remainders.append((-remainder, -weight, key))
    left_over = total_fen - sum(base.values())
    # Largest fractional part first, then the larger weight, then the smaller key: deterministic for ties.
    remainders.sort()
    for _, _, key in remainders[:left_over]:
        base[key] += 1
    # Decimal(fen).scaleb(-2) has exactly two places: whole fen of at most the pool's digits, no rounding.
    return {key: Decimal(fen).scaleb(-2) for key, fen in base.items()}
