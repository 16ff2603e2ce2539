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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.expression import Executable

from coopcore.errors import InvalidValue, NotFound, Term
from coopcore.models import (
    Account,
    Cooperative,
    Member,
    PeriodBalance,
    PeriodState,
    Voucher,
    VoucherLine,
    VoucherOrigin,
    VoucherState,
)
from coopcore.models import Period as LedgerPeriod
from coopcore.money import ZERO
from coopcore.rules.ledger import normal_columns
from coopcore.services.ledger.chart import chart_accounts
from coopcore.services.ledger.errors import period_name
from coopcore.services.ledger.grouped import per_cooperative

JOURNAL_ACCOUNTS = ("101", "102", "109")  # 库存现金, 银行存款, 其他货币资金
NOT_A_JOURNAL = "Journals are kept for cash (101), bank deposits (102) and other monetary funds (109), not {value}."
TEMPLATES = (NOT_A_JOURNAL,)
Period = tuple[int, int]  # (year, month)
# A month's posted lines summed per account, opening-balance vouchers and red reversals apart (month_sums):
# (account id, opening, red) → (debit, credit).
MonthSums = dict[tuple[int, bool, bool], tuple[Decimal, Decimal]]
UNPOSTED = (VoucherState.DRAFT, VoucherState.AUDITED)
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
    session: Session,
    cooperative: Cooperative,
    year: int,
    month: int | None = None,
    *,
    include_unposted: bool = False,
    sums: MonthSums | None = None,
) -> TrialBalance:
    """The trial balance of a year, or of one month of it.

    `sums` are the month's own (month_sums), when its close has them in hand: they are read in place of its lines,
    as the sums stored for a closed month are.
    """
    if sums is not None and (month is None or include_unposted):
        raise ValueError("a month's sums stand for its posted lines only")
    accounts = chart_accounts(session, cooperative)
    code_of = {account.id: code for code, account in accounts.items()}
    parents = {code: account.parent.code if account.parent is not None else None for code, account in accounts.items()}
    first, last = ((year, 1), (year, 12)) if month is None else ((year, month), (year, month))
    opening = net_by_account(session, cooperative.id, before=first, include_unposted=include_unposted)
    if sums is not None:
        openings: dict[int, tuple[Decimal, Decimal]] = {}
        movements: dict[int, tuple[Decimal, Decimal]] = {}
        _add_movements(openings, movements, [(*key, debit, credit) for key, (debit, credit) in sums.items()])
    else:
        openings, movements = _movements(session, cooperative.id, first, last, include_unposted)
    for account_id, (debit, credit) in openings.items():
        opening[account_id] = opening.get(account_id, ZERO) + debit - credit
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
    first, last = ((year, 1), (year, 12)) if month is None else ((year, month), (year, month))
    before = _previous(first)
    head, lines = _detail_statements(member is not None, include_unposted)
    values = {
        "cooperative": cooperative.id,
        "code": account_code,
        "member": member,
        "before_year": before[0],
        "before_month": before[1],
        "year": year,
        "first_month": first[1],
        "last_month": last[1],
    }
    connection = session.connection()
    found = connection.execute(lines, values).all()
    if found:  # each line carries the head too: one round trip
        account_name, opening = found[0][-2], found[0][-1] or ZERO
    else:
        account_name, member_id, opening = connection.execute(head, values).one()
        if member_id is None:
            raise NotFound(what=Term("Member"), key=member)
        if account_name is None:  # books never used read the chart they will be given (chart_accounts)
            unused = chart_accounts(session, cooperative).get(account_code)
            if unused is None:
                raise NotFound(what=Term("Account"), key=account_code)
            account_name = unused.name
        opening = opening or ZERO
    rows, balance = [], opening
    for (
        line_summary,
        line_debit,
        line_credit,
        v_year,
        v_month,
        word,
        number,
        day,
        reverses_id,
        summary,
        code,
        *_,
    ) in found:
        balance += line_debit - line_credit
        debit, credit = (-line_credit, -line_debit) if reverses_id is not None else (line_debit, line_credit)
        voucher = f"{period_name(v_year, v_month)} {word}-{number}"
        rows.append(LedgerRow(day, voucher, line_summary or summary, debit, credit, balance, code))
    return DetailLedger(account_code, account_name, member, opening, rows)


@cache
def _detail_statements(for_member: bool, include_unposted: bool) -> tuple[Executable, Executable]:
    """The two statements of a detail ledger: its head (the account's name, the member's id, the opening sums)
    and its lines; the account's family and the member are named by their codes inside them.

    Built once and run on the connection with parameters: a member's ledger is a few dozen lines, and building
    the statements, or one more round trip, cost several times as much as reading them.
    """
    cooperative = bindparam("cooperative", type_=Integer)
    family = (
        VoucherLine.account_id == Account.id,
        Account.cooperative_id == cooperative,
        Account.code.startswith(bindparam("code")),  # codes are digits (rules.ledger.check_detail_account)
    )
    posted = (Voucher.state == VoucherState.POSTED,) if not include_unposted else ()
    name = select(Account.name).where(Account.cooperative_id == cooperative, Account.code == bindparam("code"))
    known = select(Member.id).where(Member.cooperative_id == cooperative, Member.code == bindparam("member"))
    # The member by id, not by a join on its code: the lines are then found by ix_voucher_line_balances.
    members = (VoucherLine.member_id == known.scalar_subquery(),) if for_member else ()
    before_year, before_month = bindparam("before_year", type_=Integer), bindparam("before_month", type_=Integer)
    # The opening balance as debit − credit, read as the lines' own amounts are (fen on SQLite).
    net = type_coerce(func.sum(VoucherLine.debit) - func.sum(VoucherLine.credit), VoucherLine.debit.type)
    head = (
        select(name.scalar_subquery(), known.scalar_subquery() if for_member else literal(0), net)
        .select_from(VoucherLine)
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, and_(*family))
        .where(
            VoucherLine.cooperative_id == cooperative,
            VoucherLine.year <= before_year,
            or_(VoucherLine.year < before_year, VoucherLine.month <= before_month),
            *members,
            *posted,
        )
    )
    lines = (
        select(
            VoucherLine.summary,
            VoucherLine.debit,
            VoucherLine.credit,
            Voucher.year,
            Voucher.month,
            Voucher.word,
            Voucher.number,
            Voucher.voucher_date,
            Voucher.reverses_id,
            Voucher.summary,
            Member.code,
            name.scalar_subquery(),
            head.with_only_columns(net).scalar_subquery(),
        )
        .select_from(VoucherLine)
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, and_(*family))
        .outerjoin(Member, VoucherLine.member_id == Member.id)
        .where(
            VoucherLine.cooperative_id == cooperative,
            VoucherLine.year == bindparam("year", type_=Integer),  # a ledger is of one year, or a month of it
            VoucherLine.month.between(bindparam("first_month", type_=Integer), bindparam("last_month", type_=Integer)),
            *members,
            *posted,
        )
        .order_by(Voucher.voucher_date, Voucher.year, Voucher.month, Voucher.number, VoucherLine.line_no)
    )
    return head, lines


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
    """Each account's balance (debit − credit) from every line before a period, by account id.

    Closed months are read from the sums their close stored (PeriodBalance), the months after them from their
    lines; a member's balance always from the lines (the stored sums are per account).
    """
    if member_id is None:
        each = nets_by_account(session, [cooperative_id], before=before, accounts=accounts,
                               include_unposted=include_unposted)  # fmt: skip
        return next(each)[1]
    chosen = [VoucherLine.account_id.in_(list(accounts))] if accounts is not None else []
    query = (
        select(VoucherLine.account_id, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*_before(cooperative_id, before), *chosen, VoucherLine.member_id == member_id)
        .group_by(VoucherLine.account_id)
    )
    if not include_unposted:
        query = query.where(Voucher.state == VoucherState.POSTED)
    found: dict[int, Decimal] = {}
    _add_net(found, session.execute(query))
    return found


def nets_by_account(
    session: Session,
    cooperative_ids: Iterable[int],
    *,
    before: Period,
    accounts: Iterable[int] | None = None,
    include_unposted: bool = False,
) -> Iterator[tuple[int, dict[int, Decimal]]]:
    """net_by_account of each of several cooperatives, in the order of their ids: four statements whatever their
    number, each grouped by cooperative and consumed one cooperative at a time (a township's roll-up)."""
    ids = sorted(set(cooperative_ids))
    last = _previous(before)
    closed = _closed_through(session, ids)
    # Cooperatives closed through the same month share a condition, as do those read from the same month on.
    stored_through: defaultdict[Period, list[int]] = defaultdict(list)
    from_lines: defaultdict[Period | None, list[int]] = defaultdict(list)  # None: from the books' start
    for cooperative_id in ids:
        stored = closed.get(cooperative_id)
        stored = min(stored, last) if stored is not None else None
        if stored is not None:
            stored_through[stored].append(cooperative_id)
        first = _next(stored) if stored is not None else None
        if first is None or first <= last:
            from_lines[first].append(cooperative_id)
    chosen = list(accounts) if accounts is not None else None
    stored_rows: Iterable[Any] = ()
    if stored_through:
        mine = [and_(_of(PeriodBalance.cooperative_id, group), *_through(PeriodBalance, stored))
                for stored, group in stored_through.items()]  # fmt: skip
        sums = (
            select(PeriodBalance.cooperative_id, PeriodBalance.account_id,
                   func.sum(PeriodBalance.debit), func.sum(PeriodBalance.credit))
            .where(or_(*mine))
            .group_by(PeriodBalance.cooperative_id, PeriodBalance.account_id)
            .order_by(PeriodBalance.cooperative_id)
        )  # fmt: skip
        if chosen is not None:
            sums = sums.where(PeriodBalance.account_id.in_(chosen))
        stored_rows = session.execute(sums)
    line_rows: Iterable[Any] = ()
    unusual_rows: Iterable[Any] = ()
    if from_lines:
        line_where = [VoucherLine.account_id.in_(chosen)] if chosen is not None else []
        mine = [and_(_of(VoucherLine.cooperative_id, group), *_months(VoucherLine, first, last))
                for first, group in from_lines.items()]  # fmt: skip
        line_rows = session.execute(_plain_sums([or_(*mine), *line_where], by_cooperative=True))
        if not include_unposted:  # take out what unposted vouchers added
            unusual_rows = session.execute(_unusual_of(from_lines, last, line_where, by_cooperative=True))
    each = zip(ids, per_cooperative(ids, stored_rows), per_cooperative(ids, line_rows),
               per_cooperative(ids, unusual_rows), strict=True)  # fmt: skip
    for cooperative_id, stored_sums, line_sums, unusual in each:
        found: dict[int, Decimal] = {}
        _add_net(found, (row[1:] for row in stored_sums))
        _add_net(found, (row[1:] for row in line_sums))
        for _, account_id, posted, _, _, debit, credit in unusual:
            if not posted:
                found[account_id] = found.get(account_id, ZERO) - (debit or ZERO) + (credit or ZERO)
        yield cooperative_id, found


def month_sums(
    session: Session, cooperative_id: int, year: int, month: int, *, origin: VoucherOrigin | None = None
) -> MonthSums:
    """A month's posted lines summed per account, opening-balance vouchers and red reversals apart: what its close
    stores (PeriodBalance). Summed from the index alone, then corrected by the few unusual vouchers; with `origin`,
    the lines of that origin's vouchers only, reached from them (ix_voucher_cooperative_id_origin)."""
    month_range = ((year, month), (year, month))
    sums: MonthSums = {}
    if origin is not None:
        vouchers = (Voucher.cooperative_id == cooperative_id, *_months(Voucher, *month_range), Voucher.origin == origin)
        for account_id, posted, is_opening, is_red, debit, credit in session.execute(_voucher_sums(*vouchers)):
            if posted:
                _add_sum(sums, (account_id, bool(is_opening), bool(is_red)), debit or ZERO, credit or ZERO)
        return sums
    where = [VoucherLine.cooperative_id == cooperative_id, *_months(VoucherLine, *month_range)]
    for account_id, debit, credit in session.execute(_plain_sums(where)):
        sums[(account_id, False, False)] = (debit or ZERO, credit or ZERO)
    for account_id, posted, is_opening, is_red, debit, credit in session.execute(
        _unusual(cooperative_id, *month_range)
    ):
        debit, credit = debit or ZERO, credit or ZERO
        _add_sum(sums, (account_id, False, False), -debit, -credit)
        if posted:
            _add_sum(sums, (account_id, bool(is_opening), bool(is_red)), debit, credit)
    return sums


def changed_sums(sums: MonthSums, before: MonthSums, after: MonthSums) -> MonthSums:
    """A month's sums once some of its vouchers changed: their own sums were `before` and are `after`."""
    changed = dict(sums)
    for part, sign in ((before, -1), (after, 1)):
        for key, (debit, credit) in part.items():
            _add_sum(changed, key, sign * debit, sign * credit)
    return changed


def stored_sums(cooperative_id: int, year: int, month: int, sums: MonthSums) -> list[dict[str, Any]]:
    """The month's sums as the rows its close stores (PeriodBalance)."""
    # A line has an amount on one side: only a group with no line left sums to nothing on both.
    return [
        {"cooperative_id": cooperative_id, "year": year, "month": month, "account_id": account_id,
         "opening": is_opening, "red": is_red, "debit": debit, "credit": credit}
        for (account_id, is_opening, is_red), (debit, credit) in sums.items()
        if debit or credit
    ]  # fmt: skip


def _add_sum(sums: MonthSums, key: tuple[int, bool, bool], debit: Decimal, credit: Decimal) -> None:
    old = sums.get(key, (ZERO, ZERO))
    sums[key] = (old[0] + debit, old[1] + credit)


def _movements(
    session: Session, cooperative_id: int, first: Period, last: Period, include_unposted: bool
) -> tuple[dict[int, tuple[Decimal, Decimal]], dict[int, tuple[Decimal, Decimal]]]:
    """Each account's debits and credits in the periods, reversals written negative on the side they cancel:
    those of the opening-balance vouchers, and those of every other voucher. Closed months from their stored
    sums, the others from their lines, in one pass over them."""
    openings: dict[int, tuple[Decimal, Decimal]] = {}
    others: dict[int, tuple[Decimal, Decimal]] = {}
    closed = _closed_through(session, [cooperative_id]).get(cooperative_id)
    stored = min(closed, last) if closed is not None and closed >= first else None
    if stored is not None:
        sums = (
            select(
                PeriodBalance.account_id,
                PeriodBalance.opening,
                PeriodBalance.red,
                func.sum(PeriodBalance.debit),
                func.sum(PeriodBalance.credit),
            )
            .where(
                PeriodBalance.cooperative_id == cooperative_id,
                *_from(PeriodBalance, first),
                *_through(PeriodBalance, stored),
            )
            .group_by(PeriodBalance.account_id, PeriodBalance.opening, PeriodBalance.red)
        )
        _add_movements(openings, others, session.execute(sums))
    if stored is None or stored < last:
        start = first if stored is None else _next(stored)
        where = [VoucherLine.cooperative_id == cooperative_id, *_months(VoucherLine, start, last)]
        for account_id, debit, credit in session.execute(_plain_sums(where)):
            _add(others, account_id, debit or ZERO, credit or ZERO)
        for account_id, posted, is_opening, is_red, debit, credit in session.execute(
            _unusual(cooperative_id, start, last)
        ):
            _add(others, account_id, -(debit or ZERO), -(credit or ZERO))  # counted above as plain movements
            if posted or include_unposted:
                _add_movements(openings, others, [(account_id, is_opening, is_red, debit, credit)])
    return openings, others


def _plain_sums(where: list[ColumnElement[bool]], *, by_cooperative: bool = False) -> Select[Any]:
    """Each account's debits and credits of the lines selected, whatever their vouchers: one pass over the lines
    alone, as fast as summing them can be (the vouchers that count otherwise are corrected by _unusual); by
    cooperative first, in their order, if asked."""
    keys = (VoucherLine.cooperative_id, VoucherLine.account_id) if by_cooperative else (VoucherLine.account_id,)
    query = select(*keys, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit)).where(*where).group_by(*keys)
    return query.order_by(VoucherLine.cooperative_id) if by_cooperative else query


def _unusual(
    cooperative_id: int, first: Period | None, last: Period, line_where: Sequence[ColumnElement[bool]] = ()
) -> CompoundSelect[Any]:
    """The sums of the lines of the months whose vouchers are not plain posted movements, per account, posted or
    not, opening or not, red or not: opening-balance vouchers, red reversals, and other unposted vouchers."""
    return _unusual_of({first: [cooperative_id]}, last, line_where)


def _unusual_of(
    months_from: Mapping[Period | None, Sequence[int]],
    last: Period,
    line_where: Sequence[ColumnElement[bool]] = (),
    *,
    by_cooperative: bool = False,
) -> CompoundSelect[Any]:
    """_unusual of several cooperatives, each from its first month (the key it is under) to the last; by
    cooperative first, in their order, if asked.

    Three exclusive sets, each found by an index on voucher and few next to the lines, which are reached from
    their vouchers and not read otherwise (a line's period is its voucher's, 9ebc1ea3f4b6).
    """
    red = Voucher.reverses_id.is_not(None)
    mine = or_(*(and_(_of(Voucher.cooperative_id, group), *_months(Voucher, first, last))
                 for first, group in months_from.items()))  # fmt: skip
    # Reversals are few in all the books: found by uq_voucher_reverses_id (ids are positive: `> 0` is IS NOT NULL
    # as a range SQLite's planner takes), the cooperative and months checked on each; `+ 0` keeps it from walking
    # every voucher of the months by their numbers instead.
    theirs = or_(*(and_(_of(Voucher.cooperative_id + 0, group), *_months(_UnindexedPeriod, first, last))
                   for first, group in months_from.items()))  # fmt: skip
    unusual = union_all(
        _voucher_sums(mine, Voucher.origin == VoucherOrigin.OPENING, *line_where, by_cooperative=by_cooperative),
        _voucher_sums(theirs, Voucher.reverses_id > 0, Voucher.origin != VoucherOrigin.OPENING, *line_where,
                      by_cooperative=by_cooperative),
        _voucher_sums(mine, Voucher.state.in_(UNPOSTED), Voucher.origin != VoucherOrigin.OPENING, ~red, *line_where,
                      by_cooperative=by_cooperative),
    )  # fmt: skip
    return unusual.order_by(unusual.selected_columns[0]) if by_cooperative else unusual


def _voucher_sums(*where: ColumnElement[bool], by_cooperative: bool = False) -> Select[Any]:
    """The lines of the vouchers selected summed per account, posted or not, opening or not, red or not; reached
    from the vouchers (ix_voucher_line_voucher_id); by cooperative first if asked."""
    columns = (
        *((Voucher.cooperative_id.label("cooperative_id"),) if by_cooperative else ()),
        VoucherLine.account_id,
        Voucher.state == VoucherState.POSTED,
        Voucher.origin == VoucherOrigin.OPENING,
        Voucher.reverses_id.is_not(None),
    )
    return (
        select(*columns, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .select_from(Voucher)
        .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
        .where(*where)
        .group_by(*columns)
    )


class _UnindexedPeriod:
    """A voucher's year and month as expressions that no index serves (see _unusual)."""

    year = Voucher.year + 0
    month = Voucher.month + 0


def _add(found: dict[int, tuple[Decimal, Decimal]], account_id: int, debit: Decimal, credit: Decimal) -> None:
    old = found.get(account_id, (ZERO, ZERO))
    found[account_id] = (old[0] + debit, old[1] + credit)


def _add_net(found: dict[int, Decimal], rows: Iterable[Any]) -> None:
    for account_id, debit, credit in rows:
        found[account_id] = found.get(account_id, ZERO) + (debit or ZERO) - (credit or ZERO)


def _add_movements(
    openings: dict[int, tuple[Decimal, Decimal]], others: dict[int, tuple[Decimal, Decimal]], rows: Iterable[Any]
) -> None:
    for account_id, is_opening, is_red, debit, credit in rows:
        debit, credit = debit or ZERO, credit or ZERO
        if is_red:
            debit, credit = -credit, -debit
        _add(openings if is_opening else others, account_id, debit, credit)


def _closed_through(session: Session, cooperative_ids: Sequence[int]) -> dict[int, Period]:
    """Each cooperative's latest closed month, by id (none for one never closed): it and every month before it
    have their sums stored."""
    latest = func.max(LedgerPeriod.year * 12 + LedgerPeriod.month - 1)
    rows = session.execute(
        select(LedgerPeriod.cooperative_id, latest)
        .where(_of(LedgerPeriod.cooperative_id, cooperative_ids), LedgerPeriod.state == PeriodState.CLOSED)
        .group_by(LedgerPeriod.cooperative_id)
    )
    found = {}
    for cooperative_id, months in rows:
        if months is not None:
            year, month = divmod(int(months), 12)
            found[cooperative_id] = (year, month + 1)
    return found


def _of(column: ColumnElement[int] | InstrumentedAttribute[int], cooperative_ids: Sequence[int]) -> ColumnElement[bool]:
    """The rows of some cooperatives; of one by equality, as the indexes expect it."""
    return column == cooperative_ids[0] if len(cooperative_ids) == 1 else column.in_(cooperative_ids)


def _months(model: Any, first: Period | None, last: Period | None) -> list[ColumnElement[bool]]:
    """Rows of a table with year and month columns from the first month to the last, both included (None: no
    bound). The bare year bounds let an index on the year serve the range."""
    if first is not None and last is not None and first[0] == last[0]:  # months of one year: a range on month too
        return [model.year == first[0], model.month.between(first[1], last[1])]
    where: list[ColumnElement[bool]] = []
    if first is not None:
        where += [model.year >= first[0], or_(model.year > first[0], model.month >= first[1])]
    if last is not None:
        where += [model.year <= last[0], or_(model.year < last[0], model.month <= last[1])]
    return where


def _through(model: Any, period: Period) -> list[ColumnElement[bool]]:
    return _months(model, None, period)


def _from(model: Any, period: Period) -> list[ColumnElement[bool]]:
    return _months(model, period, None)


def _previous(period: Period) -> Period:
    return (period[0], period[1] - 1) if period[1] > 1 else (period[0] - 1, 12)


def _next(period: Period) -> Period:
    return (period[0], period[1] + 1) if period[1] < 12 else (period[0] + 1, 1)


def _lines(cooperative_id: int, first: Period, last: Period, include_unposted: bool) -> list[ColumnElement[bool]]:
    """The lines of a cooperative from the first period to the last, both included; posted ones unless asked."""
    where = [VoucherLine.cooperative_id == cooperative_id, *_months(VoucherLine, first, last)]
    if not include_unposted:
        where.append(Voucher.state == VoucherState.POSTED)
    return where


def _before(cooperative_id: int, period: Period) -> list[ColumnElement[bool]]:
    return [VoucherLine.cooperative_id == cooperative_id, *_months(VoucherLine, None, _previous(period))]


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
