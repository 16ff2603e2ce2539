"""Balances as the accountant reads them: the trial balance (科目余额表), detail ledgers (明细账) and the cash and
bank journals (日记账).

Only posted vouchers count (记账 is what puts a voucher in the books); `include_unposted=True` previews the books
with drafts and audited vouchers as if they were posted. An opening balance is everything posted before the
period: the opening of a year is therefore the closing of the year before, whether or not that year is closed
(once its December is closed, profit and loss have been carried into 332 and start the year at zero). The
opening-balance voucher of books that start mid-life (origin OPENING, dated the first day of their first month,
from the voucher sheets' 期初余额) is an opening balance too, of every period that contains its month, never a
movement: the trial balance shows 期初 as the software the accountant left showed it.

A red reversal (红字冲销) is stored on the other side of what it cancels (coopcore.rules.ledger.swapped); the
period columns show it as the accountant writes it, negative on the side it cancels, so that a reversed voucher
and its reversal add nothing to the month's debits and credits. Balances are the same either way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue, NotFound, Term
from coopcore.models import Account, Cooperative, Member, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.money import ZERO
from coopcore.rules.ledger import normal_columns
from coopcore.services.ledger.chart import chart_accounts
from coopcore.services.ledger.errors import period_name

JOURNAL_ACCOUNTS = ("101", "102", "109")  # 库存现金, 银行存款, 其他货币资金
NOT_A_JOURNAL = "Journals are kept for cash (101), bank deposits (102) and other monetary funds (109), not {value}."
TEMPLATES = (NOT_A_JOURNAL,)
Period = tuple[int, int]  # (year, month)
# The books as they stand before the month's close, for the figures read from them (本年盈余, the reconciliation
# with the member register): vouchers booked from business records (收支 rows, contributions, trades, the
# distribution …) count while unposted, since they follow their records, which are the cooperative's figures until
# the close posts them; a voucher an accountant typed or imported counts once posted (记账 is what puts it in the
# books, as in the trial balance). Once a month is closed every voucher in it is posted and both rules agree.
EVENT_ORIGINS = tuple(origin for origin in VoucherOrigin if origin.is_event)
COUNTED = or_(Voucher.state == VoucherState.POSTED, Voucher.origin.in_(EVENT_ORIGINS))


@dataclass(frozen=True)
class Columns:
    """The six amount columns of a trial balance row: opening, the period's debits and credits, closing."""

    opening_debit: Decimal = ZERO
    opening_credit: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    closing_debit: Decimal = ZERO
    closing_credit: Decimal = ZERO

    def __add__(self, other: Columns) -> Columns:
        return Columns(*(mine + theirs for mine, theirs in zip(self.amounts(), other.amounts(), strict=True)))

    def amounts(self) -> tuple[Decimal, ...]:
        return (
            self.opening_debit,
            self.opening_credit,
            self.debit,
            self.credit,
            self.closing_debit,
            self.closing_credit,
        )

    @property
    def opening(self) -> Decimal:
        """The opening balance as debit minus credit."""
        return self.opening_debit - self.opening_credit

    @property
    def closing(self) -> Decimal:
        """The closing balance as debit minus credit."""
        return self.closing_debit - self.closing_credit


@dataclass(frozen=True)
class BalanceRow:
    """One account of the trial balance, its detail accounts rolled up into it."""

    code: str
    name: str
    name_en: str
    level: int  # 1 for a first-level account, 2 for its detail accounts …
    columns: Columns


@dataclass(frozen=True)
class TrialBalance:
    """科目余额表 of a year (month None) or a month: every account in code order, totals over first-level ones."""

    year: int
    month: int | None
    rows: list[BalanceRow]
    totals: Columns

    @property
    def balanced(self) -> bool:
        """试算平衡: opening, period and closing debits each equal their credits."""
        t = self.totals
        return t.opening_debit == t.opening_credit and t.debit == t.credit and t.closing_debit == t.closing_credit

    def row(self, code: str) -> BalanceRow:
        return next(row for row in self.rows if row.code == code)


def trial_balance(
    session: Session, cooperative: Cooperative, year: int, month: int | None = None, *, include_unposted: bool = False
) -> TrialBalance:
    """The trial balance of a year, or of one month of it."""
    accounts = chart_accounts(session, cooperative)
    code_of = {account.id: code for code, account in accounts.items()}
    parents = {code: account.parent.code if account.parent is not None else None for code, account in accounts.items()}
    first, last = ((year, 1), (year, 12)) if month is None else ((year, month), (year, month))
    opening = net_by_account(session, cooperative.id, before=first, include_unposted=include_unposted)
    for account_id, (debit, credit) in _movements(session, cooperative.id, first, last, include_unposted, True).items():
        opening[account_id] = opening.get(account_id, ZERO) + debit - credit
    movements = _movements(session, cooperative.id, first, last, include_unposted, False)
    rolled: dict[str, tuple[Decimal, Decimal, Decimal]] = defaultdict(lambda: (ZERO, ZERO, ZERO))
    for account_id in set(opening) | set(movements):
        start, (debit, credit) = opening.get(account_id, ZERO), movements.get(account_id, (ZERO, ZERO))
        for owner in _lineage(code_of[account_id], parents):
            old = rolled[owner]
            rolled[owner] = (old[0] + start, old[1] + debit, old[2] + credit)
    rows, totals = [], Columns()
    for code in sorted(accounts):
        start, debit, credit = rolled.get(code, (ZERO, ZERO, ZERO))
        columns = Columns(*normal_columns(start), debit, credit, *normal_columns(start + debit - credit))
        account = accounts[code]
        rows.append(BalanceRow(code, account.name, account.name_en, len(_lineage(code, parents)), columns))
        if parents[code] is None:
            totals += columns
    return TrialBalance(year, month, rows, totals)


@dataclass(frozen=True)
class LedgerRow:
    """One line of a detail ledger or journal: its voucher, 摘要, amounts, the balance after it (debit − credit)."""

    voucher_date: dt.date
    voucher: str  # 2024-03 记-3
    summary: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    member: str | None = None
    counter_accounts: tuple[str, ...] = ()  # 对方科目, in journals


@dataclass(frozen=True)
class DetailLedger:
    """明细账 of an account (with its detail accounts) in a year or month, for one member or all."""

    code: str
    name: str
    member: str | None
    opening: Decimal  # debit − credit
    rows: list[LedgerRow]

    @property
    def debit(self) -> Decimal:
        return sum((row.debit for row in self.rows), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((row.credit for row in self.rows), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.rows[-1].balance if self.rows else self.opening


def detail_ledger(
    session: Session,
    cooperative: Cooperative,
    account_code: str,
    year: int,
    member: str | None = None,
    *,
    month: int | None = None,
    include_unposted: bool = False,
) -> DetailLedger:
    """The lines of an account (its detail accounts too) in a year or month with the running balance."""
    accounts = chart_accounts(session, cooperative)
    account = accounts.get(account_code)
    if account is None:
        raise NotFound(what=Term("Account"), key=account_code)
    ids = _family(account, accounts.values())
    member_id = _member_id(session, cooperative, member)
    first, last = ((year, 1), (year, 12)) if month is None else ((year, month), (year, month))
    opening = sum(
        net_by_account(
            session, cooperative.id, before=first, accounts=ids, member_id=member_id, include_unposted=include_unposted
        ).values(),
        ZERO,
    )
    query = (
        select(
            VoucherLine,
            Voucher.year,
            Voucher.month,
            Voucher.word,
            Voucher.number,
            Voucher.voucher_date,
            Voucher.reverses_id,
            Voucher.summary,
            Member.code,
        )
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .outerjoin(Member, Member.id == VoucherLine.member_id)
        .where(*_lines(cooperative.id, first, last, include_unposted), VoucherLine.account_id.in_(ids))
        .order_by(Voucher.voucher_date, Voucher.year, Voucher.month, Voucher.number, VoucherLine.line_no)
    )
    if member_id is not None:
        query = query.where(VoucherLine.member_id == member_id)
    rows, balance = [], opening
    for line, v_year, v_month, word, number, day, reverses_id, summary, member_code in session.execute(query):
        balance += line.debit - line.credit
        debit, credit = (-line.credit, -line.debit) if reverses_id is not None else (line.debit, line.credit)
        name = f"{period_name(v_year, v_month)} {word}-{number}"
        rows.append(LedgerRow(day, name, line.summary or summary, debit, credit, balance, member_code))
    return DetailLedger(account.code, account.name, member, opening, rows)


def journal(
    session: Session,
    cooperative: Cooperative,
    account_code: str,
    year: int,
    *,
    month: int | None = None,
    include_unposted: bool = False,
) -> DetailLedger:
    """The cash (101) or bank (102) journal (日记账): the detail ledger with each line's counter accounts."""
    if account_code[:3] not in JOURNAL_ACCOUNTS:
        raise InvalidValue(NOT_A_JOURNAL, value=account_code)
    ledger = detail_ledger(session, cooperative, account_code, year, month=month, include_unposted=include_unposted)
    accounts = chart_accounts(session, cooperative)
    own = _family(accounts[account_code], accounts.values())
    first, last = ((year, 1), (year, 12)) if month is None else ((year, month), (year, month))
    counters: dict[str, set[str]] = defaultdict(set)
    query = (
        select(Voucher.year, Voucher.month, Voucher.word, Voucher.number, Account.code)
        .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
        .join(Account, Account.id == VoucherLine.account_id)
        .where(*_lines(cooperative.id, first, last, include_unposted), VoucherLine.account_id.not_in(own))
    )
    for v_year, v_month, word, number, code in session.execute(query):
        counters[f"{period_name(v_year, v_month)} {word}-{number}"].add(code)
    rows = [
        LedgerRow(
            row.voucher_date,
            row.voucher,
            row.summary,
            row.debit,
            row.credit,
            row.balance,
            row.member,
            tuple(sorted(counters.get(row.voucher, ()))),
        )
        for row in ledger.rows
    ]
    return DetailLedger(ledger.code, ledger.name, None, ledger.opening, rows)


def member_balances(
    session: Session, cooperative: Cooperative, account_code: str, year: int, month: int = 12
) -> dict[str, Decimal]:
    """Each member's balance (debit − credit) on an account kept per member at the end of a month, by member code.

    The balance sheet shows the members' debit and credit balances of 114 apart (01表 lines 2 and 24, never
    netted).
    """
    accounts = chart_accounts(session, cooperative)
    account = accounts.get(account_code)
    if account is None:
        raise NotFound(what=Term("Account"), key=account_code)
    ids = _family(account, accounts.values())
    after = (year, month + 1) if month < 12 else (year + 1, 1)
    query = (
        select(Member.code, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Member, Member.id == VoucherLine.member_id)
        .where(*_before(cooperative.id, after), Voucher.state == VoucherState.POSTED, VoucherLine.account_id.in_(ids))
        .group_by(Member.code)
    )
    return {code: (debit or ZERO) - (credit or ZERO) for code, debit, credit in session.execute(query)}


def net_by_account(
    session: Session,
    cooperative_id: int,
    *,
    before: Period,
    accounts: Iterable[int] | None = None,
    member_id: int | None = None,
    include_unposted: bool = False,
) -> dict[int, Decimal]:
    """Each account's balance (debit − credit) from every line before a period, by account id."""
    query = (
        select(VoucherLine.account_id, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*_before(cooperative_id, before))
        .group_by(VoucherLine.account_id)
    )
    if not include_unposted:
        query = query.where(Voucher.state == VoucherState.POSTED)
    if accounts is not None:
        query = query.where(VoucherLine.account_id.in_(list(accounts)))
    if member_id is not None:
        query = query.where(VoucherLine.member_id == member_id)
    return {account_id: (debit or ZERO) - (credit or ZERO) for account_id, debit, credit in session.execute(query)}


def _movements(
    session: Session, cooperative_id: int, first: Period, last: Period, include_unposted: bool, opening: bool
) -> dict[int, tuple[Decimal, Decimal]]:
    """Each account's debits and credits in the periods, reversals written negative on the side they cancel:
    those of the opening-balance vouchers (`opening`), or of every other voucher."""
    red = Voucher.reverses_id.is_not(None)
    is_opening = Voucher.origin == VoucherOrigin.OPENING
    query = (
        select(VoucherLine.account_id, red, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*_lines(cooperative_id, first, last, include_unposted), is_opening if opening else ~is_opening)
        .group_by(VoucherLine.account_id, red)
    )
    found: dict[int, tuple[Decimal, Decimal]] = {}
    for account_id, is_red, debit, credit in session.execute(query):
        debit, credit = debit or ZERO, credit or ZERO
        if is_red:
            debit, credit = -credit, -debit
        old = found.get(account_id, (ZERO, ZERO))
        found[account_id] = (old[0] + debit, old[1] + credit)
    return found


def _lines(cooperative_id: int, first: Period, last: Period, include_unposted: bool) -> list[ColumnElement[bool]]:
    """The lines of a cooperative from the first period to the last, both included; posted ones unless asked."""
    where = [
        VoucherLine.cooperative_id == cooperative_id,
        VoucherLine.year.between(first[0], last[0]),
        or_(VoucherLine.year > first[0], VoucherLine.month >= first[1]),
        or_(VoucherLine.year < last[0], VoucherLine.month <= last[1]),
    ]
    if not include_unposted:
        where.append(Voucher.state == VoucherState.POSTED)
    return where


def _before(cooperative_id: int, period: Period) -> list[ColumnElement[bool]]:
    year, month = period
    return [
        VoucherLine.cooperative_id == cooperative_id,
        or_(VoucherLine.year < year, and_(VoucherLine.year == year, VoucherLine.month < month)),
    ]


def _lineage(code: str, parents: dict[str, str | None]) -> list[str]:
    """The account and its parents up to its first-level account, by code."""
    chain: list[str] = []
    current: str | None = code
    while current is not None:
        chain.append(current)
        current = parents.get(current)
    return chain


def _family(account: Account, accounts: Iterable[Account]) -> list[int]:
    """The account and its detail accounts, to any depth (codes start with their parent's); stored ones only."""
    return [other.id for other in accounts if other.code.startswith(account.code) and other.id is not None]


def _member_id(session: Session, cooperative: Cooperative, member: str | None) -> int | None:
    if member is None:
        return None
    found = session.scalar(select(Member.id).where(Member.cooperative_id == cooperative.id, Member.code == member))
    if found is None:
        raise NotFound(what=Term("Member"), key=member)
    return found
