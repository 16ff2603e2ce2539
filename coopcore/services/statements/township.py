"""A township's statements (汇总表): its cooperatives' and federations' statements added up, a member
cooperative's investment in a federation of the township counted once, and which years are not closed yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from coopcore.models import Township
from coopcore.money import ZERO
from coopcore.rules.statements import Statements
from coopcore.rules.statements.rollup import INVESTMENTS, add_up, without_investment
from coopcore.services.lookups import township_cooperatives
from coopcore.services.statements import closed_cooperatives, statements_of
from coopcore.services.statements.books import federation_share_capital


@dataclass(frozen=True)
class TownshipStatements:
    """The roll-up, the cooperatives in it (credit codes), those whose period is not closed in their books, the
    investment in federations counted once (taken out at the period's end), and what federations hold as member
    cooperatives' 股金 that those cooperatives' books do not show as 对外投资."""

    township: str
    statements: Statements
    cooperatives: list[str]
    not_closed: list[str]
    counted_once: Decimal
    unmatched: Decimal
    names: dict[str, str] = field(default_factory=dict)  # each cooperative's name by credit code

    @property
    def final(self) -> bool:
        """Every cooperative in it has the period closed: the roll-up is no longer unaudited (未审计)."""
        return not self.not_closed


def township_statements(
    session: Session, township: Township, year: int, month: int = 12, *, include_unposted: bool = False
) -> TownshipStatements:
    """Add up the statements of every cooperative and federation of a township for a year (or to a month's end).

    A member cooperative books its contribution to a federation as 对外投资 (131) and the federation the same money
    as 股金 (301) [KJ 131 二; domain.md §11]: where both are in the township it is taken out of both lines once.
    """
    found = township_cooperatives(session, township)
    ids = [cooperative.id for cooperative in found]
    federations = [cooperative for cooperative in found if cooperative.is_federation]
    held = federation_share_capital(session, federations, ids, year, month, include_unposted=include_unposted)
    members = {cooperative_id for by_member in held.values() for cooperative_id in by_member}
    # Added up one cooperative at a time (memory flat in their number); only the 对外投资 of the federations'
    # members are kept, for the investment counted once.
    total: Statements | None = None
    investments: dict[int, tuple[Decimal, Decimal]] = {}
    for cooperative, part in statements_of(session, found, year, month, include_unposted=include_unposted):
        total = add_up(year, month, [part] if total is None else [total, part])
        if cooperative.id in members:
            investments[cooperative.id] = (part.closing[INVESTMENTS], part.opening[INVESTMENTS])
    if total is None:
        total = add_up(year, month, [])
    # Only what both sides hold is the same money: a member cooperative whose books show less 对外投资 than the
    # federation's 股金 holds for it leaves the rest in (and the difference is reported).
    closing = opening = unmatched = ZERO
    for federation in federations:
        for cooperative_id, (end, start) in held.get(federation.id, {}).items():
            invested_end, invested_start = investments[cooperative_id]
            closing += min(end, max(invested_end, ZERO))
            opening += min(start, max(invested_start, ZERO))
            unmatched += end - min(end, max(invested_end, ZERO))
    if closing or opening:
        total = without_investment(total, closing, opening)
    closed = closed_cooperatives(session, ids, year, month)
    return TownshipStatements(
        township.name,
        total,
        [cooperative.credit_code for cooperative in found],
        [cooperative.credit_code for cooperative in found if cooperative.id not in closed],
        closing,
        unmatched,
        {cooperative.credit_code: cooperative.name for cooperative in found},
    )


def township_as_they_stand(session: Session, township: Township, year: int, month: int = 12) -> TownshipStatements:
    """The roll-up as the books stand: each cooperative as statements_as_they_stand reads it (a closed period holds
    only posted vouchers, so reading every voucher changes nothing there); unaudited while a period is not closed."""
    return township_statements(session, township, year, month, include_unposted=True)
