"""A payment run's lines grouped into transfers (笔): one per household, numbered in line order, the lines' sum, the
frozen payee, one result (coopcore.rules.transfers)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopcore.rules.transfers import Transfer, transfers
from coopcore.terms import PayoutResult

D = Decimal


@dataclass
class Line:
    line_no: int
    member_id: int
    amount: Decimal
    payee_name: str = ""
    payee_account: str = ""
    payee_bank: str = ""
    result: PayoutResult = PayoutResult.PENDING
    return_reason: str = ""


def household(member_id: int, *amounts: str, first: int) -> list[Line]:
    """A household's lines, numbered from `first`, with its card."""
    return [Line(first + index, member_id, D(amount), f"户{member_id}", f"62{member_id:017d}", "示例银行")
            for index, amount in enumerate(amounts)]  # fmt: skip


def test_a_household_with_four_kinds_is_one_transfer_of_their_sum_to_its_frozen_card() -> None:
    lines = [*household(7, "1.00", first=1), *household(9, "22248.52", "8517.38", "1200.00", "38760.50", first=2),
             *household(3, "0.01", first=6)]  # fmt: skip
    found = transfers(lines)
    assert [(t.number, t.member_id, t.line_numbers, t.amount) for t in found] == [
        (1, 7, (1,), D("1.00")),
        (2, 9, (2, 3, 4, 5), D("70726.40")),
        (3, 3, (6,), D("0.01")),
    ]
    second = found[1]
    assert (second.payee_name, second.payee_account, second.payee_bank) == ("户9", "62" + "9".zfill(17), "示例银行")
    assert second.lines == tuple(lines[1:5])  # the lines themselves, in line order
    assert sum((t.amount for t in found), D(0)) == sum((line.amount for line in lines), D(0))


def test_transfers_are_numbered_by_line_order_whatever_order_the_lines_come_in() -> None:
    lines = [*household(5, "10.00", "20.00", first=1), *household(2, "30.00", first=3)]
    assert [(t.number, t.member_id) for t in transfers(reversed(lines))] == [(1, 5), (2, 2)]
    # A household's lines need not be next to each other: they are still one transfer, numbered by its first line.
    apart = [Line(1, 5, D("1.00")), Line(2, 2, D("2.00")), Line(3, 5, D("3.00"))]
    assert [(t.number, t.member_id, t.line_numbers, t.amount) for t in transfers(apart)] == [
        (1, 5, (1, 3), D("4.00")),
        (2, 2, (2,), D("2.00")),
    ]


def test_a_transfer_s_result_is_its_lines_and_no_run_has_no_transfer() -> None:
    lines = [Line(1, 4, D("5.00"), result=PayoutResult.RETURNED, return_reason="户名与账号不符"),
             Line(2, 4, D("6.00"), result=PayoutResult.RETURNED, return_reason="户名与账号不符")]  # fmt: skip
    (transfer,) = transfers(lines)
    assert isinstance(transfer, Transfer)
    assert (transfer.result, transfer.return_reason, transfer.amount) == (
        PayoutResult.RETURNED,
        "户名与账号不符",
        D("11.00"),
    )
    assert transfers([]) == []
