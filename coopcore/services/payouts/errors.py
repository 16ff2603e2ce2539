"""The refusals of payment runs (付款批次), each naming what it refuses; payouts.po has them in Chinese."""

from __future__ import annotations

from coopcore.errors import InvalidValue, RuleViolation


class NothingToPay(RuleViolation):
    """There is nothing of what was asked to pay on {day}{members}: it is paid, in another run, or not owed."""


class NoPayeeAccount(RuleViolation):
    """A bank run needs each household's account: {members} have none. Record it, or pay them in cash."""


class ClaimTaken(RuleViolation):
    """What payment run {number} would pay was just claimed by another run; nothing was saved: choose again."""


class RunState(RuleViolation):
    """Payment run {number} is {state}: it cannot be {action}."""


class SettledTooEarly(RuleViolation):
    """Payment run {number} cannot be {action} on {day}: it was {event} on {earlier}."""


class UnknownTransfer(InvalidValue):
    """Payment run {number} has no transfer {value}: the 序号 of its file are 1 to {last}."""


class ReasonNeeded(InvalidValue):
    """Transfer {value} (序号 in the file) of payment run {number} was returned: say why, as the bank's receipt does."""


class NotAKind(InvalidValue):
    """{value} is not something a payment run pays; use returns, residual, rent or produce."""


class CashNotSent(RuleViolation):
    """Payment run {number} is paid in cash at the office: there is nothing to send to a bank."""


class LinesClaimed(RuleViolation):
    """{members} are being paid by payment run {runs}: settle or cancel it first, or leave them out."""


TEMPLATES = tuple(
    (error.__doc__ or "").strip()
    for error in (
        NothingToPay,
        NoPayeeAccount,
        ClaimTaken,
        RunState,
        SettledTooEarly,
        UnknownTransfer,
        ReasonNeeded,
        NotAKind,
        CashNotSent,
        LinesClaimed,
    )
)
