"""What the cooperative owes each household, read from the books: its lines on 成员往来 (114), 应付盈余返还 (221)
and 应付剩余盈余 (222), the member statement (对账单) of a period and the amounts owed at a date.

Amounts are signed the household's way: positive is owed to the household (a credit balance on the three
accounts), negative is what the household owes (a debit balance on 114, for inputs bought). A statement's
identity is opening + credits − debits − payments = closing, and the closing is the member's balance on the
three accounts in the books (balances.member_balances) at that date.

A debit on the three is a payment when its voucher pays money out (Cr 101/102/109), except a trade's: there the
money paid the supplier of the inputs the member bought ([KJ 114 三], trade_events). Red reversals (红字冲销) are
shown as the accountant writes them, negative in the column of what they cancel.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from coopcore.models import Account, Cooperative, Member, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.money import ZERO
from coopcore.rules.entries.accounts import MEMBER_ACCOUNTS, MONEY, RESIDUAL_PAYABLE, RETURNS_PAYABLE, first_level
from coopcore.services.ledger.balances import COUNTED
from coopcore.services.ledger.chart import chart_accounts
from coopcore.services.ledger.errors import period_name
from coopcore.terms import OwedMovement

OWED_ACCOUNTS = (MEMBER_ACCOUNTS, RETURNS_PAYABLE, RESIDUAL_PAYABLE)  # 114, 221, 222
# What a statement read with as_they_stand says of itself (the member page and its PDF).
AS_THEY_STAND = (
    "Vouchers booked from business records (deliveries, the distribution and its payments) count before the "
    "month's close posts them."
)

PREVIEW = "Unposted vouchers are counted (preview)."


@dataclass(frozen=True)
class Reading:
    """Which vouchers a statement counts. By default the books as they stand, as the member page, the member account
    and the slips read them: a payment or a delivery recorded today is counted before the month's close posts it.
    Or the posted books only, as the trial balance reads them; or every voucher, a preview."""

    include_unposted: bool = False
    posted_only: bool = False

    @property
    def as_they_stand(self) -> bool:
        return not (self.include_unposted or self.posted_only)

    @property
    def note(self) -> str | None:
        """What the statement says of the vouchers it counts (nothing when it reads the posted books)."""
        if self.include_unposted:
            return PREVIEW
        return AS_THEY_STAND if self.as_they_stand else None


@dataclass(frozen=True)
class OwedLine:
    """One line of a member statement: a voucher line on 114, 221 or 222 and how it moves what is owed."""

    day: dt.date
    voucher: str  # 2024-03 记-3
    summary: str
    account: str  # the first-level code: 114, 221 or 222
    movement: OwedMovement
    amount: Decimal  # in its movement's column; negative for a red reversal

    @property
    def change(self) -> Decimal:
        """What the line adds to what is owed to the household."""
        return self.amount if self.movement is OwedMovement.CREDIT else -self.amount


@dataclass(frozen=True)
class Owed:
    """Opening, the period's credits, debits and payments, and the closing of one account or of all three."""

    opening: Decimal = ZERO
    credits: Decimal = ZERO
    debits: Decimal = ZERO
    payments: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.credits - self.debits - self.payments

    def plus(self, other: Owed) -> Owed:
        return Owed(self.opening + other.opening, self.credits + other.credits, self.debits + other.debits,
                    self.payments + other.payments)  # fmt: skip


@dataclass(frozen=True)
class MemberStatement:
    """对账单 of a household for a period: per account and in total, with every line in between."""

    code: str
    name: str
    household_head: str | None
    first_on: dt.date
    last_on: dt.date
    accounts: dict[str, Owed]  # by account code, every one of OWED_ACCOUNTS
    lines: tuple[OwedLine, ...]

    @property
    def total(self) -> Owed:
        found = Owed()
        for owed in self.accounts.values():
            found = found.plus(owed)
        return found


@dataclass(frozen=True)
class MemberOwed:
    """What one household is owed on each account at a date (negative: what it owes)."""

    code: str
    name: str
    balances: dict[str, Decimal]  # by account code, every one of OWED_ACCOUNTS

    @property
    def total(self) -> Decimal:
        return sum(self.balances.values(), ZERO)


@dataclass(frozen=True)
class OwedToMembers:
    """What the cooperative owes its members at a date, household by household and in total."""

    on: dt.date
    members: tuple[MemberOwed, ...]
    by_account: dict[str, Decimal] = field(default_factory=dict)  # each account's members' balances, summed

    @property
    def owed_to_members(self) -> Decimal:
        """The credit balances summed, never netted with what other households or accounts owe back.

        农民专业合作社法 第五十五条 puts members' unsettled trades first in a bankruptcy; the balance sheet shows
        the members' credit and debit balances apart too (01表 lines 2 and 24).
        """
        return sum((amount for m in self.members for amount in m.balances.values() if amount > 0), ZERO)

    @property
    def owed_by_members(self) -> Decimal:
        """The debit balances (inputs the households have not paid for), as a positive amount."""
        return -sum((amount for m in self.members for amount in m.balances.values() if amount < 0), ZERO)


def classify(*, debit: bool, origin: VoucherOrigin, pays_out: bool) -> OwedMovement:
    """How a line on 114/221/222 moves what is owed: by its side, and, for a debit, whether money went out."""
    if not debit:
        return OwedMovement.CREDIT
    # A trade's money paid the inputs' supplier, not the member (Dr 114—member / Cr 102) [KJ 114 三].
    return OwedMovement.PAYMENT if pays_out and origin is not VoucherOrigin.TRADE else OwedMovement.DEBIT


def summarise(opening: dict[str, Decimal], lines: Iterable[OwedLine]) -> dict[str, Owed]:
    """Each account's opening and the period's credits, debits and payments."""
    columns: dict[str, list[Decimal]] = {code: [opening.get(code, ZERO), ZERO, ZERO, ZERO] for code in OWED_ACCOUNTS}
    place = {OwedMovement.CREDIT: 1, OwedMovement.DEBIT: 2, OwedMovement.PAYMENT: 3}
    for line in lines:
        columns[line.account][place[line.movement]] += line.amount
    return {code: Owed(*values) for code, values in columns.items()}


def member_statements(
    session: Session,
    cooperative: Cooperative,
    first_on: dt.date,
    last_on: dt.date,
    *,
    member: Member | None = None,
    include_unposted: bool = False,
    as_they_stand: bool = False,
) -> list[MemberStatement]:
    """The statements of a period of one member, or of every member with a line on the three accounts by its end;
    `as_they_stand` counts the vouchers booked from business records before the month's close posts them."""
    if first_on > last_on:
        raise ValueError("a statement's period starts before it ends")
    codes = _owed_accounts(session, cooperative)
    member_id = member.id if member is not None else None
    counted = _counted(include_unposted, as_they_stand)
    opening = _balances(session, cooperative, codes, before=first_on, last_on=last_on, member_id=member_id,
                        counted=counted)  # fmt: skip
    lines = _lines(session, cooperative, codes, first_on, last_on, member_id, counted)
    members = [member] if member is not None else _members(session, set(opening) | set(lines))
    return [
        MemberStatement(m.code, m.name, m.household_head, first_on, last_on,
                        summarise(opening.get(m.id, {}), lines.get(m.id, ())), tuple(lines.get(m.id, ())))
        for m in members
    ]  # fmt: skip


def member_statement(
    session: Session,
    cooperative: Cooperative,
    member: Member,
    first_on: dt.date,
    last_on: dt.date,
    *,
    include_unposted: bool = False,
    as_they_stand: bool = False,
) -> MemberStatement:
    """A household's statement (对账单) of a period."""
    found = member_statements(session, cooperative, first_on, last_on, member=member,
                              include_unposted=include_unposted, as_they_stand=as_they_stand)  # fmt: skip
    return found[0]


def owed_on(
    session: Session,
    cooperative: Cooperative,
    on: dt.date,
    *,
    include_unposted: bool = False,
    as_they_stand: bool = False,
) -> OwedToMembers:
    """What the cooperative owes each member at the end of a day on 114, 221 and 222, and in total; `as_they_stand`
    as member_statements reads it."""
    codes = _owed_accounts(session, cooperative)
    balances = _balances(session, cooperative, codes, before=on + dt.timedelta(days=1), last_on=on,
                         counted=_counted(include_unposted, as_they_stand))  # fmt: skip
    members = tuple(
        MemberOwed(m.code, m.name, {code: balances[m.id].get(code, ZERO) for code in OWED_ACCOUNTS})
        for m in _members(session, set(balances))
    )
    by_account = {code: sum((m.balances[code] for m in members), ZERO) for code in OWED_ACCOUNTS}
    return OwedToMembers(on, members, by_account)


def total_owed_to_members(session: Session, cooperative: Cooperative, on: dt.date) -> Decimal:
    """What the cooperative owes its members at a date, from the posted books (农民专业合作社法 第五十五条)."""
    return owed_on(session, cooperative, on).owed_to_members


def _owed_accounts(session: Session, cooperative: Cooperative) -> dict[int, str]:
    """The stored accounts of 114, 221 and 222 and their detail accounts, id → first-level code."""
    accounts = chart_accounts(session, cooperative).values()
    return {
        account.id: first_level(account.code)
        for account in accounts
        if account.id is not None and first_level(account.code) in OWED_ACCOUNTS
    }


def _counted(include_unposted: bool, as_they_stand: bool = False) -> list[ColumnElement[bool]]:
    """Posted vouchers; every voucher in a preview; or the books as they stand before the month's close: posted
    vouchers and those booked from business records, which follow their records (balances.COUNTED)."""
    if include_unposted:
        return []
    return [COUNTED] if as_they_stand else [Voucher.state == VoucherState.POSTED]


def _balances(
    session: Session,
    cooperative: Cooperative,
    codes: dict[int, str],
    *,
    before: dt.date,
    last_on: dt.date,
    member_id: int | None = None,
    counted: list[ColumnElement[bool]],
) -> dict[int, dict[str, Decimal]]:
    """Each member's credit − debit per account before a day, by member id and account code.

    The opening-balance voucher of books that start later is an opening (期初) of every period up to its end.
    """
    if not codes:
        return {}
    opening_voucher = (Voucher.origin == VoucherOrigin.OPENING) & (Voucher.voucher_date <= last_on)
    query = (
        select(VoucherLine.member_id, VoucherLine.account_id, func.sum(VoucherLine.credit), func.sum(VoucherLine.debit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(
            VoucherLine.cooperative_id == cooperative.id,
            VoucherLine.account_id.in_(list(codes)),
            VoucherLine.member_id.is_not(None),
            or_(Voucher.voucher_date < before, opening_voucher),
            *counted,
        )
        .group_by(VoucherLine.member_id, VoucherLine.account_id)
    )
    if member_id is not None:
        query = query.where(VoucherLine.member_id == member_id)
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for owner, account_id, credit, debit in session.execute(query):
        if owner is None:  # not selected: the line names no member
            continue
        code = codes[account_id]
        found[owner][code] = found[owner].get(code, ZERO) + (credit or ZERO) - (debit or ZERO)
    return found


def _lines(
    session: Session,
    cooperative: Cooperative,
    codes: dict[int, str],
    first_on: dt.date,
    last_on: dt.date,
    member_id: int | None,
    counted: list[ColumnElement[bool]],
) -> dict[int, list[OwedLine]]:
    """The period's lines on the three accounts by member id, in voucher order."""
    if not codes:
        return {}
    where = [
        VoucherLine.cooperative_id == cooperative.id,
        VoucherLine.account_id.in_(list(codes)),
        VoucherLine.member_id.is_not(None),
        Voucher.voucher_date.between(first_on, last_on),
        Voucher.origin != VoucherOrigin.OPENING,
        *counted,
    ]
    if member_id is not None:
        where.append(VoucherLine.member_id == member_id)
    columns = (VoucherLine.member_id, VoucherLine.account_id, VoucherLine.summary, VoucherLine.debit,
               VoucherLine.credit, Voucher.id, Voucher.voucher_date, Voucher.year, Voucher.month, Voucher.word,
               Voucher.number, Voucher.summary, Voucher.origin, Voucher.reverses_id)  # fmt: skip
    query = (
        select(*columns)
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*where)
        .order_by(Voucher.voucher_date, Voucher.year, Voucher.month, Voucher.number, VoucherLine.line_no)
    )
    rows = session.execute(query).all()
    money_out = _money_out(session, cooperative, first_on, last_on) if rows else {}
    found: dict[int, list[OwedLine]] = defaultdict(list)
    for owner, account_id, line_summary, debit, credit, voucher_id, day, year, month, word, number, summary, \
            origin, reverses_id in rows:  # fmt: skip
        if owner is None:  # not selected: the line names no member
            continue
        red = reverses_id is not None
        # A red reversal is stored on the other side of what it cancels (rules.ledger.swapped): read it on that side.
        on_debit, amount = (credit > 0, -(credit or debit)) if red else (debit > 0, debit or credit)
        paid = money_out.get(voucher_id, ZERO)
        movement = classify(debit=on_debit, origin=origin, pays_out=(-paid if red else paid) > 0)
        name = f"{period_name(year, month)} {word}-{number}"
        found[owner].append(OwedLine(day, name, line_summary or summary, codes[account_id], movement, amount))
    return found


def _money_out(session: Session, cooperative: Cooperative, first_on: dt.date, last_on: dt.date) -> dict[int, Decimal]:
    """What each voucher of the period credits to money (101/102/109, or a detail account of one) less what it
    debits to it, as stored, by voucher id; vouchers that do not touch money are left out."""
    money = or_(*(Account.code.startswith(code) for code in sorted(MONEY)))
    query = (
        select(VoucherLine.voucher_id, func.sum(VoucherLine.credit), func.sum(VoucherLine.debit))
        .join(Account, Account.id == VoucherLine.account_id)
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(Voucher.cooperative_id == cooperative.id, Voucher.voucher_date.between(first_on, last_on), money)
        .group_by(VoucherLine.voucher_id)
    )
    return {voucher_id: (credit or ZERO) - (debit or ZERO) for voucher_id, credit, debit in session.execute(query)}


def _members(session: Session, ids: set[int]) -> list[Member]:
    if not ids:
        return []
    return list(session.scalars(select(Member).where(Member.id.in_(list(ids))).order_by(Member.code)))
