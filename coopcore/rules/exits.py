"""Leaving a cooperative (退社): when it takes effect and what is settled ([L-25], [L-28], [L-62])."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from coopcore.errors import InvalidValue
from coopcore.money import ZERO, allocate
from coopcore.terms import MemberKind

# Units rather than people (a federation's member cooperatives too); they give six months' notice, not three.
ORGANISATION_KINDS = frozenset(kind for kind in MemberKind if not kind.is_person)


def exit_effective_on(kind: str, applied_on: dt.date) -> dt.date:
    """Return the fiscal-year end at which a membership ends.

    [L-25]: people apply three months before the year end, organisations six months ([L-62]: member
    cooperatives of a federation likewise); membership ends at that year end. DEFAULT (D9): on or before
    30 September / 30 June counts; a later application takes effect at the end of the next year.
    """
    deadline = dt.date(applied_on.year, 6, 30) if kind in ORGANISATION_KINDS else dt.date(applied_on.year, 9, 30)
    year = applied_on.year if applied_on <= deadline else applied_on.year + 1
    return dt.date(year, 12, 31)


@dataclass(frozen=True)
class Settlement:
    """What a leaving member gets back: contribution and provident share, less their share of losses."""

    contribution: Decimal
    provident_share: Decimal
    loss_share: Decimal

    @property
    def refund(self) -> Decimal:
        """Contribution plus provident share, less the loss share; never negative ([L-6] caps liability)."""
        return self.contribution + self.provident_share - self.loss_share


def settle_exit(code: str, equity: Mapping[str, tuple[Decimal, Decimal]], uncovered_loss: Decimal) -> Settlement:
    """Settle one member's exit at year end.

    equity maps every member's code to (contribution, provident share) at the year end; [L-28 ¶2] lets
    the leaver bear a share of losses incurred before leaving. DEFAULT (D10): the loss is split over all
    members by contribution + provident share (largest remainder), capped at what the leaver holds.
    """
    if code not in equity:
        raise InvalidValue("member {code} is not among the members settled", code=code)
    if uncovered_loss < 0:
        raise InvalidValue("an uncovered loss cannot be negative: {value}", value=uncovered_loss)
    contribution, provident = equity[code]
    weights = {member: c + p for member, (c, p) in equity.items()}
    share = allocate(uncovered_loss, weights)[code] if uncovered_loss and any(weights.values()) else ZERO
    return Settlement(contribution, provident, min(share, contribution + provident))
