"""What a payment run (付款批次) can pay now: each household's unpaid distribution parts and its 114 credit.

Returns and residual: each posted distribution line's 221 and 222 parts, after what the assembly converted with
the plan (coopcore.rules.entries.net_of_conversion), unless the line was paid by `coop distribution pay` or a run's
pending or paid line claims the part. Guaranteed rent and produce money: the household's credit balance on 114
(owed_on, unposted vouchers counted), split into rent and produce first in first out (coopcore.rules.payouts),
less what runs' pending lines already claim of it and what runs settled after the day paid of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from coopcore.errors import InvalidValue
from coopcore.i18n import LANGS
from coopcore.labels import label
from coopcore.models import (
    Account,
    Cooperative,
    Distribution,
    DistributionLine,
    IncomeExpense,
    Member,
    PaymentRun,
    PaymentRunLine,
    Voucher,
    VoucherLine,
)
from coopcore.money import ZERO
from coopcore.rules import entries
from coopcore.rules.entries.accounts import MEMBER_ACCOUNTS, RESIDUAL_PAYABLE, RETURNS_PAYABLE
from coopcore.rules.payouts import Movement, open_credits
from coopcore.services.ledger.events import VERSION
from coopcore.services.ledger.owed import owed_on
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.services.ledger.register_events import INCOME_EXPENSE
from coopcore.services.payouts.claims import credit_claim, part_claim
from coopcore.services.payouts.errors import NotAKind
from coopcore.terms import DistributionState, Origin, PaymentRunState, PayoutKind, PayoutResult, VoucherOrigin

PARTS = {PayoutKind.RETURNS: RETURNS_PAYABLE, PayoutKind.RESIDUAL: RESIDUAL_PAYABLE}
CREDITS = (PayoutKind.RENT, PayoutKind.PRODUCE)
UNKNOWN_MEMBERS = "There is no member {value} in this cooperative."


@dataclass(frozen=True)
class PayableItem:
    """One thing a run can pay a household now: its kind, the account it is paid out of, the amount, the claim."""

    member_id: int
    member_code: str
    member_name: str
    kind: PayoutKind
    account: str  # 114, 221 or 222
    amount: Decimal
    claim: str
    distribution_line_id: int | None = None
    year: int | None = None  # the distribution's year, for returns and residual


def read_kinds(kinds: Iterable[PayoutKind | str]) -> tuple[PayoutKind, ...]:
    """The kinds asked for, in PayoutKind's order, each once: a string is a kind's value ("returns") or its name in
    either language (盈余返还, "Patronage returns"), as an accountant types it."""
    words = {word.casefold(): kind for kind in PayoutKind
             for word in (kind.value, *(label(kind, lang) for lang in LANGS))}  # fmt: skip
    found: set[PayoutKind] = set()
    for kind in kinds:
        if isinstance(kind, PayoutKind):
            found.add(kind)
        elif kind.strip().casefold() in words:
            found.add(words[kind.strip().casefold()])
        else:
            raise NotAKind(value=str(kind))
    return tuple(kind for kind in PayoutKind if kind in found)


def payable_items(
    session: Session,
    cooperative: Cooperative,
    *,
    kinds: Iterable[PayoutKind | str],
    on: dt.date,
    member_codes: Collection[str] | None = None,
) -> list[PayableItem]:
    """What can be paid on a day, of the kinds asked, to every household or those named; in member-code order."""
    wanted = read_kinds(kinds)
    members = _members(session, cooperative, member_codes)
    claimed = _claims(session, cooperative)
    items = [*_parts(session, cooperative, wanted, on, members, claimed)]
    if any(kind in CREDITS for kind in wanted):
        items += _credits(session, cooperative, wanted, on, members, claimed)
    order = list(PayoutKind)
    return sorted(items, key=lambda item: (item.member_code, order.index(item.kind), item.year or 0))


def _members(session: Session, cooperative: Cooperative, codes: Collection[str] | None) -> dict[int, Member]:
    query = select(Member).where(Member.cooperative_id == cooperative.id)
    if codes is not None:
        query = query.where(Member.code.in_(sorted(set(codes))))
    found = {member.id: member for member in session.scalars(query)}
    unknown = sorted(set(codes or ()) - {member.code for member in found.values()})
    if unknown:
        raise InvalidValue(UNKNOWN_MEMBERS, value=", ".join(unknown))
    return found


def _claims(session: Session, cooperative: Cooperative) -> dict[str, PaymentRunLine]:
    """The claims the cooperative's runs hold now, pending or paid."""
    query = (
        select(PaymentRunLine)
        .join(PaymentRun, PaymentRun.id == PaymentRunLine.run_id)
        .where(PaymentRun.cooperative_id == cooperative.id, PaymentRunLine.claim.is_not(None))
    )
    return {line.claim: line for line in session.scalars(query) if line.claim is not None}


def _parts(
    session: Session,
    cooperative: Cooperative,
    kinds: tuple[PayoutKind, ...],
    on: dt.date,
    members: dict[int, Member],
    claimed: dict[str, PaymentRunLine],
) -> Iterator[PayableItem]:
    accounts = {kind: PARTS[kind] for kind in kinds if kind in PARTS}
    if not accounts:
        return
    query = (
        select(DistributionLine, Distribution.year)
        .join(Distribution, Distribution.id == DistributionLine.distribution_id)
        .where(Distribution.cooperative_id == cooperative.id, Distribution.state == DistributionState.POSTED)
        .where(DistributionLine.paid_on.is_(None), Distribution.year < on.year)  # declared on 31 December
        .order_by(DistributionLine.member_code, Distribution.year)
    )
    for line, year in session.execute(query):
        if line.member_id not in members:
            continue
        # What the assembly converted with the plan is on 301 already; 221/222 hold only the rest.
        parts = dict(zip((PayoutKind.RETURNS, PayoutKind.RESIDUAL), entries.net_of_conversion(
            line.patronage_return, line.residual_distribution, line.converted), strict=True))  # fmt: skip
        member = members[line.member_id]
        for kind, account in accounts.items():
            claim = part_claim(account, line.id)
            if parts[kind] > 0 and claim not in claimed:
                yield PayableItem(member.id, member.code, member.name, kind, account, parts[kind], claim, line.id, year)


def _credits(
    session: Session,
    cooperative: Cooperative,
    kinds: tuple[PayoutKind, ...],
    on: dt.date,
    members: dict[int, Member],
    claimed: dict[str, PaymentRunLine],
) -> Iterator[PayableItem]:
    codes = {member.code: member for member in members.values()}
    balances = {
        codes[owed.code].id: owed.balances[MEMBER_ACCOUNTS]
        for owed in owed_on(session, cooperative, on, include_unposted=True).members
        if owed.code in codes and owed.balances[MEMBER_ACCOUNTS] > 0
    }
    pending: dict[int, Decimal] = {}
    for line in claimed.values():
        if line.account == MEMBER_ACCOUNTS and line.result is PayoutResult.PENDING:
            pending[line.member_id] = pending.get(line.member_id, ZERO) + line.amount
    movements = credit_movements(session, cooperative, on, set(balances))
    for member_id, balance in sorted(balances.items(), key=lambda pair: members[pair[0]].code):
        member = members[member_id]
        # A pending line's amount is not in the books yet; a run settled after the day paid what it paid already,
        # and a run chosen on an earlier day must not pay it again.
        paid_later = -sum((m.change for m in movements.get(member_id, ()) if m.on > on), ZERO)
        left = balance - pending.get(member_id, ZERO) - paid_later
        remaining = open_credits(movements.get(member_id, ()))
        for kind in CREDITS:
            claim = credit_claim(member_id, kind)
            if kind not in kinds or claim in claimed:  # one pending line per household and kind
                continue
            amount = min(remaining.get(kind, ZERO), left)
            if amount > 0:
                left -= amount
                yield PayableItem(member.id, member.code, member.name, kind, MEMBER_ACCOUNTS, amount, claim)


def credit_movements(
    session: Session, cooperative: Cooperative, on: dt.date, member_ids: Collection[int]
) -> dict[int, list[Movement]]:
    """Each household's movements on 114 up to a day, unposted vouchers counted, with the kind each names.

    A credit names rent when a guaranteed land rent booked it (a 收支 row the land guarantees wrote), produce when
    a trade or a contract's delivery did. A payment run's voucher is read as its paid lines, each naming its kind,
    whatever day it was settled: a payment made after the day is made all the same (the only movements after it).
    A red reversal names the kind of what it reverses.
    """
    if not member_ids:
        return {}
    original = aliased(Voucher)
    query = (
        select(
            VoucherLine.member_id,
            Voucher.voucher_date,
            VoucherLine.credit,
            VoucherLine.debit,
            Voucher.origin,
            Voucher.source_ref,
            original.origin,
            original.source_ref,
        )
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, Account.id == VoucherLine.account_id)
        .outerjoin(original, original.id == Voucher.reverses_id)
        .where(VoucherLine.cooperative_id == cooperative.id, Account.code.startswith(MEMBER_ACCOUNTS))
        .where(VoucherLine.member_id.is_not(None), Voucher.voucher_date <= on)
    )
    # Every member's lines, kept for those asked: an IN list of 20,000 members is beyond SQLite's parameters.
    rows = [row for row in session.execute(query) if row[0] in member_ids]
    rent_rows = _rent_rows(session, {ref for row in rows for ref in (row[5], row[7]) if ref})
    found: dict[int, list[Movement]] = {}
    for owner, day, credit, debit, origin, ref, reversed_origin, reversed_ref in rows:
        if owner is None or (origin is VoucherOrigin.PAYMENT and (ref or "").startswith(PAYMENT_RUNS.prefix + ":")):
            continue  # a run's payment is read from its lines below
        red = reversed_origin is not None
        kind = _kind(reversed_origin, reversed_ref, rent_rows) if red else _kind(origin, ref, rent_rows)
        if not red and debit:
            kind = None  # a debit (inputs bought, an advance, a payment by hand) takes the oldest credits first
        found.setdefault(owner, []).append(Movement(day, (credit or ZERO) - (debit or ZERO), kind))
    paid = (
        select(PaymentRunLine.member_id, PaymentRun.settled_on, PaymentRunLine.amount, PaymentRunLine.kind)
        .join(PaymentRun, PaymentRun.id == PaymentRunLine.run_id)
        .where(PaymentRun.cooperative_id == cooperative.id, PaymentRun.state == PaymentRunState.SETTLED)
        .where(PaymentRunLine.account == MEMBER_ACCOUNTS, PaymentRunLine.result == PayoutResult.PAID)
    )
    for member_id, settled_on, amount, kind in session.execute(paid):
        if member_id in member_ids and settled_on is not None:
            found.setdefault(member_id, []).append(Movement(settled_on, -amount, kind))
    return found


def _kind(origin: VoucherOrigin | None, ref: str | None, rent_rows: set[str]) -> PayoutKind | None:
    if origin is VoucherOrigin.TRADE:
        return PayoutKind.PRODUCE
    if origin is VoucherOrigin.LAND_GUARANTEE or (ref is not None and ref.split(VERSION)[0] in rent_rows):
        return PayoutKind.RENT
    return None


def _rent_rows(session: Session, refs: set[str]) -> set[str]:
    """The references among these of 收支 rows the land guarantees wrote ("income_expense:<id>")."""
    ids = {int(key) for ref in refs if ref.startswith(INCOME_EXPENSE.prefix + ":")
           if (key := ref.split(VERSION)[0].split(":", 1)[1]).isdigit()}  # fmt: skip
    if not ids:
        return set()
    query = select(IncomeExpense.id).where(
        IncomeExpense.id.in_(sorted(ids)), IncomeExpense.origin == Origin.LAND_GUARANTEE
    )
    return {INCOME_EXPENSE.ref(record_id) for record_id in session.scalars(query)}
