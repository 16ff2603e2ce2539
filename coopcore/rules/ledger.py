"""Double entry ([KJ 第八条]): the lines of a voucher, and the rules every voucher obeys wherever it comes from.

Pure: accounts are named by code and members by member code; the ledger service resolves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcore.money import ZERO


@dataclass(frozen=True)
class EntryLine:
    """One line of a voucher: an account by code, an amount on exactly one side, and its auxiliaries."""

    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    summary: str = ""
    member: str | None = None  # member code, on accounts kept per member (114, 221, 222, 301)
    counterparty: str = ""  # an enterprise or another non-member
    product: str | None = None
    project: str = ""
    poverty_asset: bool | None = None  # on asset accounts split by 是否扶贫项目资产
    quantity: Decimal | None = None
    unit_price: Decimal | None = None

    @property
    def amount(self) -> Decimal:
        return self.debit or self.credit


def totals(lines: Sequence[EntryLine]) -> tuple[Decimal, Decimal]:
    """The debit and credit totals of some lines."""
    return sum((line.debit for line in lines), ZERO), sum((line.credit for line in lines), ZERO)
