"""Which part of a household's credit on 成员往来 (114) is guaranteed rent and which is produce money, first in
first out: what a payment run (付款批次) may pay it as each kind.

A household's 114 moves in date order. A credit adds a lot of its kind (the guaranteed land rent booked for it,
the produce it delivered, or anything else: an opening balance, a manual entry). A debit takes from the oldest
lots first: inputs bought, an advance, a payment by hand. A debit that says what it paid (a payment run's line of
rent or produce, a red reversal of a rent or produce credit) takes from the oldest lots of its own kind first,
then from the oldest of any kind; a payment must not leave its own kind owed while it consumes another. A debit
beyond every lot leaves the household owing, and the next credits make that good before they form lots.

Only what the lots of a kind hold is payable as that kind; "other" lots are owed but not paid by a run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from coopcore.money import ZERO
from coopcore.terms import PayoutKind

OTHER = None  # a lot that is neither rent nor produce


@dataclass(frozen=True)
class Movement:
    """One movement of a household's 114: credit (positive) or debit (negative), and the kind it names if any."""

    on: dt.date
    change: Decimal  # credit − debit
    kind: PayoutKind | None = OTHER


@dataclass
class _Lot:
    on: dt.date
    kind: PayoutKind | None
    left: Decimal


def open_credits(movements: Iterable[Movement]) -> dict[PayoutKind | None, Decimal]:
    """What remains of each kind's credits once the debits took their share, oldest first; None: other credits.

    Movements are taken by date, credits before debits on the same day (a day's delivery is there to be paid).
    The remainders add up to the credit balance; a debit balance leaves every kind at zero.
    """
    lots: list[_Lot] = []
    owing = ZERO  # what the household owes beyond every lot
    for movement in sorted(movements, key=lambda m: (m.on, m.change < 0)):
        if movement.change > 0:
            made_good = min(owing, movement.change)
            owing -= made_good
            if movement.change > made_good:
                lots.append(_Lot(movement.on, movement.kind, movement.change - made_good))
            continue
        wanted = -movement.change
        if movement.kind is not OTHER:
            wanted = _take(wanted, [lot for lot in lots if lot.kind is movement.kind])
        wanted = _take(wanted, lots)
        owing += wanted
        lots = [lot for lot in lots if lot.left]
    found: dict[PayoutKind | None, Decimal] = {}
    for lot in lots:
        found[lot.kind] = found.get(lot.kind, ZERO) + lot.left
    return found


def _take(wanted: Decimal, lots: list[_Lot]) -> Decimal:
    """Take up to `wanted` from the lots, oldest first; return what is still wanted."""
    for lot in lots:
        if not wanted:
            break
        taken = min(lot.left, wanted)
        lot.left -= taken
        wanted -= taken
    return wanted
