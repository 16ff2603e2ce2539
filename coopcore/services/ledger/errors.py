"""What the books refuse, each error's English template translated in ledger.po."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coopcore.db.errors import CLOSED_MONTH
from coopcore.errors import NotFound, PeriodClosed, RuleViolation
from coopcore.rules.findings import Finding, Problems
from coopcore.rules.ledger import ACCOUNT_NOT_DIGITS, ACCOUNT_NOT_UNDER, ACCOUNT_TAKEN


class VoucherRefused(RuleViolation):
    """The voucher was not saved:{problems}"""

    def __init__(self, findings: Sequence[Finding], **fields: Any) -> None:
        self.findings = list(findings)
        super().__init__(problems=Problems(findings), **fields)


VOUCHERS_REFUSED = (
    "No voucher was saved: {refused} of the {count} have problems. The first of them (number {position} of those "
    "written together, dated {on}):{problems}"
)


class VouchersRefused(RuleViolation):
    __doc__ = VOUCHERS_REFUSED

    def __init__(self, findings: Sequence[Finding], *, count: int, on: object) -> None:
        # Every finding's row is the position of its voucher among those written together, from 1.
        self.findings = list(findings)
        first = self.findings[0].row
        super().__init__(
            problems=Problems(finding for finding in self.findings if finding.row == first),
            refused=len({finding.row for finding in self.findings}),
            count=count,
            position=first,
            on=on,
        )


SALES_ON_REFUSED = (
    "Contract sales were not switched into the books of {cooperative}, and nothing was booked: {refused} of their "
    "bookings fall in closed periods ({periods}). A cooperative's contract sales are booked whole or not at all: "
    "reopen those periods (反结账) and switch again, or keep the sales in the income and expense rows.{problems}"
)
SALES_OFF_REFUSED = (
    "Contract sales were not taken out of the books of {cooperative}, and nothing was reversed: {refused} of their "
    "vouchers are in closed periods ({periods}). Reopen those periods (反结账) and switch again, or keep booking the "
    "sales from the contracts.{problems}"
)
BOOKING_IN_CLOSED = "Dated {on}: {event} (in {period}, which is closed)"


class SalesSwitchRefused(PeriodClosed):
    __doc__ = SALES_ON_REFUSED

    def __init__(self, findings: Sequence[Finding], *, cooperative: str, switching_on: bool) -> None:
        # Each finding is an event booking into closed periods; its "period" names them.
        self.findings = list(findings)
        periods = sorted({period for finding in self.findings for period in str(finding.fields["period"]).split(", ")})
        super().__init__(
            SALES_ON_REFUSED if switching_on else SALES_OFF_REFUSED,
            cooperative=cooperative,
            refused=len(self.findings),
            periods=", ".join(periods),
            problems=Problems(self.findings),
        )


class NoSuchVoucher(NotFound):
    """There is no voucher number {number} in {period}."""


class WrongVoucherState(RuleViolation):
    """Voucher {voucher} is {state}, so {action} is not possible."""


class EventVoucher(RuleViolation):
    """Voucher {voucher} follows its business event ({origin}): change or delete that record instead."""


class SelfAudit(RuleViolation):
    """{user} prepared voucher {voucher}: another person audits it, unless the cooperative allows one person."""


class ReviewFirst(RuleViolation):
    """Voucher {voucher} comes from a business event and is audited by an accountant before it is posted."""


class AlreadyReversed(RuleViolation):
    """Voucher {voucher} has already been reversed by voucher {reversal}."""


class ReversalOfReversal(RuleViolation):
    """Voucher {voucher} is itself a red reversal: book the entry again instead of reversing it."""


class ReversalTooEarly(RuleViolation):
    """A reversal cannot be dated {on}, before the voucher it reverses ({voucher_on})."""


# The rule of a detail account's code is coopcore.rules.ledger.check_detail_account; these say its findings.
class AccountCodeNotDigits(RuleViolation):
    __doc__ = ACCOUNT_NOT_DIGITS


class AccountCodeTaken(RuleViolation):
    __doc__ = ACCOUNT_TAKEN


class AccountCodeNotUnder(RuleViolation):
    __doc__ = ACCOUNT_NOT_UNDER


class CloseRefused(RuleViolation):
    """{period} cannot be closed:{problems}"""

    def __init__(
        self, period: str, findings: Sequence[Finding], closed: Sequence[str] = (), differences: Sequence[Finding] = ()
    ) -> None:
        self.findings = list(findings)
        self.closed = list(closed)  # the periods before it that this close did close
        self.differences = list(differences)  # the register against the books at the end of the last one
        super().__init__(period=period, problems=Problems(findings))


class ReopenRefused(RuleViolation):
    """{period} cannot be reopened: only the latest closed period ({latest}) can be reopened."""


class NothingClosed(RuleViolation):
    """{cooperative} has no closed period to reopen."""


class AlreadyClosed(RuleViolation):
    """{period} is already closed."""


def month_closed(cooperative: str, year: int, month: int) -> PeriodClosed:
    """The refusal of any write into a closed month, the same whether the service or the database says it."""
    return PeriodClosed(CLOSED_MONTH, period=period_name(year, month), cooperative=cooperative)


def period_name(year: int, month: int) -> str:
    """A period as people type it: 2024-03."""
    return f"{year}-{month:02d}"


# What WrongVoucherState says cannot be done, by action.
ACTIONS = {
    "changed": "changing it",
    "deleted": "deleting it",
    "audited": "auditing it",
    "sent back": "sending it back to draft",
    "posted": "posting it",
    "reversed": "reversing it",
}
# What a close finds (coopcore.services.ledger.periods).
DRAFT_LEFT = "Voucher {voucher} is a draft: audit and post it, or delete it."
AUDITED_LEFT = "Voucher {voucher} is audited but not posted: post it."
EVENT_UNREVIEWED = "Voucher {voucher} was booked from a business event and waits for an accountant's audit."
VOUCHER_UNBALANCED = "Voucher {voucher} does not balance (debits {debit}, credits {credit})."
TRIAL_UNBALANCED = "The trial balance of {period} does not balance: {side}, debit {debit}, credit {credit}."
OPENING_SIDE, PERIOD_SIDE, CLOSING_SIDE = "opening balance", "amounts of the period", "closing balance"
# What a bulk write of vouchers finds besides their lines (coopcore.services.ledger.bulk).
SOURCE_TAKEN = "The business event {source_ref} already has a voucher."
POST_AUDITED_FIRST = "A voucher of origin {origin} is audited before it is posted: write it as a draft."
OPENING_DIFFERS = (
    "The opening balance of account {account} in {year} is {opening}, not the closing balance {closing} of {previous}."
)
TEMPLATES = (
    *(
        (cls.__doc__ or "").strip()
        for cls in (
            VoucherRefused,
            VouchersRefused,
            NoSuchVoucher,
            WrongVoucherState,
            EventVoucher,
            SelfAudit,
            ReviewFirst,
            AlreadyReversed,
            ReversalOfReversal,
            ReversalTooEarly,
            AccountCodeNotDigits,
            AccountCodeTaken,
            AccountCodeNotUnder,
            CloseRefused,
            ReopenRefused,
            NothingClosed,
            AlreadyClosed,
        )
    ),
    *ACTIONS.values(),
    SALES_ON_REFUSED,
    SALES_OFF_REFUSED,
    BOOKING_IN_CLOSED,
    DRAFT_LEFT,
    AUDITED_LEFT,
    EVENT_UNREVIEWED,
    VOUCHER_UNBALANCED,
    TRIAL_UNBALANCED,
    OPENING_SIDE,
    PERIOD_SIDE,
    CLOSING_SIDE,
    OPENING_DIFFERS,
    SOURCE_TAKEN,
    POST_AUDITED_FIRST,
)
