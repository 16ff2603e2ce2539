"""Payment runs (付款批次): pay households what the cooperative owes them, book the payment, never pay twice.

`payable_items` says what can be paid now (payouts.items), `choose_run` freezes it into a run, `mark_sent`,
`settle_run` and `cancel_run` follow the run to its end (payouts.runs); the bank's result is per transfer (a
household's lines, one row of the file: coopcore.rules.transfers), and settling books the paid lines
(coopcore.services.ledger.payment_run_events). The files for the bank and the cash list are in reports/.
"""

from __future__ import annotations

from coopcore.services.payouts.errors import (
    CashNotSent,
    ClaimTaken,
    LinesClaimed,
    NoPayeeAccount,
    NotAKind,
    NothingToPay,
    ReasonNeeded,
    RunState,
    SettledTooEarly,
    UnknownTransfer,
)
from coopcore.services.payouts.items import PayableItem, payable_items, read_kinds
from coopcore.services.payouts.runs import cancel_run, choose_run, freeze_run, mark_sent, settle_run

__all__ = [
    "CashNotSent",
    "ClaimTaken",
    "LinesClaimed",
    "NoPayeeAccount",
    "NotAKind",
    "NothingToPay",
    "PayableItem",
    "ReasonNeeded",
    "RunState",
    "SettledTooEarly",
    "UnknownTransfer",
    "cancel_run",
    "choose_run",
    "freeze_run",
    "mark_sent",
    "payable_items",
    "read_kinds",
    "settle_run",
]
