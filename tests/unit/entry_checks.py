"""What every booked entry must be, and a tiny trial balance to post entries into (no database)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from coopcore.rules.ledger import EntryLine, totals

PER_MEMBER = {"114", "221", "222", "301"}
POVERTY_SPLIT = {"141", "142", "151", "161"}


def shown(lines: Iterable[EntryLine]) -> list[tuple[str, str, str, str | None]]:
    """Lines as an accountant writes them: (account, Dr/Cr, amount, member)."""
    return [(line.account, "Dr" if line.debit else "Cr", str(line.debit or line.credit), line.member) for line in lines]


def assert_well_formed(lines: Sequence[EntryLine]) -> None:
    """Balanced, one positive side per line in fen, members exactly on 114/221/222/301, poverty only on split assets."""
    debits, credits = totals(lines)
    assert debits == credits, shown(lines)
    for line in lines:
        assert (line.debit > 0) != (line.credit > 0), line
        assert min(line.debit, line.credit) == 0, line
        assert line.amount == line.amount.quantize(Decimal("0.01")), line
        assert (line.member is not None) == (line.account[:3] in PER_MEMBER), line
        assert (line.poverty_asset is not None) == (line.account[:3] in POVERTY_SPLIT), line
        assert line.summary, line


class Books:
    """Balances as debit minus credit, by account and by (account, member)."""

    def __init__(self, opening: dict[str, Decimal] | None = None) -> None:
        self.balances: dict[str, Decimal] = defaultdict(Decimal, opening or {})
        self.by_member: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)

    def post(self, lines: Sequence[EntryLine]) -> None:
        assert_well_formed(lines)
        for line in lines:
            self.balances[line.account] += line.debit - line.credit
            self.by_member[line.account, line.member] += line.debit - line.credit

    def __getitem__(self, account: str) -> Decimal:
        return self.balances[account]
