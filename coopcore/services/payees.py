"""Where a household is paid (收款账户): set a member's payee details, and list whose are missing or unchecked.

Payment runs (付款批次) pay to these details; the admin's member form, the `coop members payee` command and the
roster import all set them through `set_payee`, so the card check (coopcore.validation.bank_account) and the
holder's-name warning (coopcore.rules.payees) are the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue
from coopcore.models import Cooperative, Member
from coopcore.rules.findings import Finding
from coopcore.rules.payees import check_payee
from coopcore.validation import bank_account


class CheckedInFuture(InvalidValue):
    """The payee details cannot be checked on {value}, a day after today."""


def set_payee(
    session: Session,
    member: Member,
    *,
    bank: str | None,
    account: str | None,
    name: str | None,
    checked_on: dt.date | None = None,
    card: bool | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Check, normalise and store a member's payee details; return the warnings (a holder other than the head).

    All three parts blank clears them. `checked_on` is the day the details were checked against the card or bank
    book; details stored without it count as unchecked, so a changed account is never taken as checked before.
    `card` says whether the account is a bank card (None: decide by the number, bank_account.validate).
    """
    bank, account, name = (_text(bank), _text(account), _text(name))
    findings = check_payee(bank, account, name, member.household_head, member.name)
    for finding in findings:
        if finding.blocking:
            raise InvalidValue(finding.template, **finding.fields)
    if account is not None:
        account = bank_account.validate(account, card=card)
    if checked_on is not None and checked_on > (today or dt.date.today()):
        raise CheckedInFuture(value=checked_on.isoformat())
    member.payee_bank, member.payee_account, member.payee_name = bank, account, name
    member.payee_checked = account is not None and checked_on is not None
    member.payee_checked_on = checked_on if member.payee_checked else None
    session.flush()
    return findings


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@dataclass(frozen=True)
class Payee:
    """A member's payee details as a payment run and the lists read them; the account number is whole."""

    member_id: int
    code: str
    name: str
    bank: str | None
    account: str | None
    holder: str | None
    checked_on: dt.date | None
    warnings: tuple[Finding, ...]

    @property
    def is_missing(self) -> bool:
        return self.account is None

    @property
    def is_checked(self) -> bool:
        return self.account is not None and self.checked_on is not None

    @property
    def masked_account(self) -> str:
        return bank_account.mask_account(self.account)


def payees(session: Session, cooperative: Cooperative, *, member_ids: Collection[int] | None = None) -> list[Payee]:
    """Return the payee details of a cooperative's members (or of some of them), by member code; one query."""
    query = select(Member).where(Member.cooperative_id == cooperative.id).order_by(Member.code)
    if member_ids is not None:
        query = query.where(Member.id.in_(sorted(member_ids)))
    found = []
    for member in session.scalars(query):
        warnings = check_payee(
            member.payee_bank, member.payee_account, member.payee_name, member.household_head, member.name
        )
        found.append(
            Payee(
                member.id,
                member.code,
                member.name,
                member.payee_bank,
                member.payee_account,
                member.payee_name,
                member.payee_checked_on if member.payee_checked else None,
                tuple(warnings),
            )
        )
    return found


def payees_not_ready(
    session: Session, cooperative: Cooperative, *, member_ids: Collection[int] | None = None
) -> list[Payee]:
    """Return the members whose payee details are missing or not checked yet: a bank batch cannot pay them."""
    return [payee for payee in payees(session, cooperative, member_ids=member_ids) if not payee.is_checked]
