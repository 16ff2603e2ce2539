"""Making the lines of an entry: amounts to the fen, each auxiliary on the accounts that keep it, balanced totals.

摘要 (summaries) are data written in the voucher, in Chinese: a voucher is a document the accountant reads, prints
and files, like the memo of a member-account entry, not a screen text. Each builder has a default summary and
takes the caller's instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from coopcore.errors import InvalidValue, RuleViolation
from coopcore.money import FEN, ZERO, has_places, to_decimal
from coopcore.rules.entries.accounts import MEMBER_DETAIL, POVERTY_SPLIT, first_level
from coopcore.rules.ledger import EntryLine, totals

NOT_AN_AMOUNT = "The amount {value} must be in yuan to the fen and not negative."
NOT_IN_FEN = "The amount {value} must be in yuan to the fen."
MEMBER_REQUIRED = "Account {account} is kept per member: name the member."
SUMMARY_LENGTH = 200  # the voucher's and each line's 摘要 column (coopcore.models.ledger)


class UnbalancedEntry(RuleViolation):
    """The entry does not balance: debits {debit}, credits {credit}."""


class ResolutionRequired(RuleViolation):
    """Converting returns into contributions needs the member assembly's resolution (Art. 44): name it."""


class JournalEntry(NamedTuple):
    """One voucher to book: its 摘要 and its balanced lines."""

    summary: str
    lines: list[EntryLine]


def fit(summary: str) -> str:
    """A 摘要 cut to the column's length (a resolution's title may be long; the voucher keeps its start)."""
    return summary.strip()[:SUMMARY_LENGTH]


def amount(value: Decimal) -> Decimal:
    """Return value as yuan with two places; a float, a negative or a part of a fen is refused."""
    number = to_decimal(value)  # a float raises TypeError: it has already lost the fen
    if number < 0 or not has_places(number, 2):
        raise InvalidValue(NOT_AN_AMOUNT, value=value)
    return number.quantize(FEN)


def signed(value: Decimal) -> Decimal:
    """Return value as yuan with two places, either sign; a float or a part of a fen is refused."""
    number = to_decimal(value)
    if not has_places(number, 2):
        raise InvalidValue(NOT_IN_FEN, value=value)
    return number.quantize(FEN)


@dataclass(frozen=True)
class Aux:
    """The auxiliaries (辅助核算) a line may carry."""

    member: str | None = None  # member code
    counterparty: str = ""  # an enterprise, a federation, another non-member
    product: str | None = None
    project: str = ""
    poverty_asset: bool = False
    quantity: Decimal | None = None
    unit_price: Decimal | None = None


NONE = Aux()


def line(account: str, debit: Decimal, credit: Decimal, summary: str, aux: Aux = NONE) -> EntryLine:
    """One line; the member goes only on the per-member accounts and the poverty flag only on split assets."""
    per_member = first_level(account) in MEMBER_DETAIL
    if per_member and not aux.member:
        raise InvalidValue(MEMBER_REQUIRED, account=account)
    return EntryLine(
        account=account,
        debit=debit,
        credit=credit,
        summary=fit(summary),
        member=aux.member if per_member else None,
        counterparty=aux.counterparty,
        product=aux.product,
        project=aux.project,
        poverty_asset=aux.poverty_asset if first_level(account) in POVERTY_SPLIT else None,
        quantity=aux.quantity,
        unit_price=aux.unit_price,
    )


def dr(account: str, value: Decimal, summary: str, aux: Aux = NONE) -> EntryLine:
    """A debit line of a non-negative amount."""
    return line(account, amount(value), ZERO, summary, aux)


def cr(account: str, value: Decimal, summary: str, aux: Aux = NONE) -> EntryLine:
    """A credit line of a non-negative amount."""
    return line(account, ZERO, amount(value), summary, aux)


def net(account: str, debit_minus_credit: Decimal, summary: str, aux: Aux = NONE) -> EntryLine:
    """A line on the side its sign says: positive is a debit, negative a credit (a difference, a balance)."""
    value = signed(debit_minus_credit)
    return cr(account, -value, summary, aux) if value < 0 else dr(account, value, summary, aux)


def balanced(lines: Iterable[EntryLine]) -> list[EntryLine]:
    """Drop the lines of 0.00 (a voucher line carries an amount on one side) and check debits equal credits."""
    kept = [entry for entry in lines if entry.debit or entry.credit]
    debits, credits = totals(kept)
    if debits != credits:  # [KJ 第八条] 有借必有贷，借贷必相等
        raise UnbalancedEntry(debit=debits, credit=credits)
    return kept


def require_resolution(resolution: str) -> str:
    """Return the assembly's resolution, refusing a blank one ([L-44]: conversion needs the assembly's vote)."""
    if not resolution.strip():
        raise ResolutionRequired()
    return resolution.strip()
