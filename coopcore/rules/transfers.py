"""A payment run's transfers (笔): all the lines of one household in a run are one transfer to its account.

A household owed returns, residual, rent and produce money has four lines in a run, but the bank gets one row for it
(banks' 代发 layouts expect one row per payee account, and many reject the same account twice in a batch), the
household gets one deposit, and the bank returns the household's whole money or none of it. So the bank file and
the cash list carry one row per transfer, numbered 1 to n (the file's 序号), and the bank's result is recorded per
transfer: every line of a transfer is paid, or every line is returned with the same reason.

The transfers are derived from the frozen lines, never stored: numbered in line order by the first line of each
household, so the same lines give the same numbers (and the same file) every time. `payable_items` orders lines
by household, so a household's lines are next to each other and the numbers follow the lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from coopcore.money import ZERO
from coopcore.terms import PayoutResult


class TransferLine(Protocol):
    """What grouping needs of a run's line (coopcore.models.PaymentRunLine has it)."""

    @property
    def line_no(self) -> int: ...
    @property
    def member_id(self) -> int: ...
    @property
    def payee_name(self) -> str: ...
    @property
    def payee_account(self) -> str: ...
    @property
    def payee_bank(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def result(self) -> PayoutResult: ...
    @property
    def return_reason(self) -> str: ...


L = TypeVar("L", bound=TransferLine)


@dataclass(frozen=True)
class Transfer(Generic[L]):
    """One row of the bank file or the cash list: a household's lines in a run, paid or returned together."""

    number: int  # 序号 in the run's files, 1 … n
    member_id: int
    payee_name: str  # 户名, 账号, 开户行 as frozen on the lines when the run was chosen
    payee_account: str
    payee_bank: str
    lines: tuple[L, ...]

    @property
    def amount(self) -> Decimal:
        """The sum of the lines' amounts: the row's 金额."""
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def result(self) -> PayoutResult:
        """The bank's result, which every line of the transfer shares (a run is settled transfer by transfer)."""
        return self.lines[0].result

    @property
    def return_reason(self) -> str:
        return self.lines[0].return_reason

    @property
    def line_numbers(self) -> tuple[int, ...]:
        return tuple(line.line_no for line in self.lines)


def transfers(lines: Iterable[L]) -> list[Transfer[L]]:
    """Group a run's lines into transfers, one per household, numbered in line order by each one's first line."""
    grouped: dict[int, list[L]] = {}
    for line in sorted(lines, key=lambda line: line.line_no):
        grouped.setdefault(line.member_id, []).append(line)
    found = []
    for number, household in enumerate(grouped.values(), start=1):
        first = household[0]
        found.append(Transfer(number, first.member_id, first.payee_name, first.payee_account, first.payee_bank,
                              tuple(household)))  # fmt: skip
    return found
