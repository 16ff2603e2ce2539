"""What the books already hold, read for the voucher sheets: the chart, members, products, the vouchers of the
months a workbook names, the opening-balance voucher, and the balances at the start of a month.

Reading never writes: a cooperative whose books are not used yet is checked against the chart it will be given
(coopcore/charts), which the import seeds only when it writes. The export reads the same balances the import
compares with, so that importing an export finds the books as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from coopcore.models import Account, Cooperative, Member, Product, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.money import ZERO
from coopcore.rules.ledger import AccountRule, EntryLine
from coopcore.services.ledger.books import entries_by_voucher, is_closed
from coopcore.services.ledger.chart import chart_accounts

Month = tuple[int, int]  # (year, month)
BalanceKey = tuple[str, str | None, bool | None]  # account code, member code, 是否扶贫项目资产


@dataclass(frozen=True)
class ChartAccount:
    """An account as the checks need it: stored, from the chart the books will be given, or added by the sheet."""

    code: str
    name: str
    parent: str | None
    is_active: bool = True
    member_detail: bool = False
    poverty_split: bool = False
    added: bool = False  # a detail account the cooperative added (the accounts sheet lists these)


@dataclass
class StoredBooks:
    """The books of one cooperative as far as a voucher workbook touches them."""

    cooperative: Cooperative
    accounts: dict[str, ChartAccount]  # its own, or the chart's it will be given on first use (never saved here)
    members: frozenset[str]
    products: frozenset[str]
    vouchers: dict[tuple[int, int, int], Voucher] = field(default_factory=dict)  # by (year, month, number)
    lines: dict[int, list[EntryLine]] = field(default_factory=dict)  # by voucher id
    opening: Voucher | None = None  # the live opening-balance voucher (neither a reversal nor reversed)
    _closed: dict[Month, bool] = field(default_factory=dict)

    def numbers(self, month: Month) -> set[int]:
        """The numbers the month's stored vouchers use."""
        return {number for (year, month_, number) in self.vouchers if (year, month_) == month}

    def closed(self, session: Session, month: Month) -> bool:
        if month not in self._closed:
            self._closed[month] = is_closed(session, self.cooperative.id, *month)
        return self._closed[month]


def load_books(session: Session, cooperative: Cooperative, months: Iterable[Month]) -> StoredBooks:
    """Read what the checks need, and the vouchers of the months named (and of the opening voucher's month)."""
    coop_id = cooperative.id
    # The chart's unsaved accounts have no is_active yet (a column default, given when saved): they are in use.
    accounts = {
        code: ChartAccount(code, a.name, a.parent.code if a.parent is not None else None, a.is_active is not False,
                           a.member_detail, a.poverty_split, added=not a.chart)
        for code, a in chart_accounts(session, cooperative).items()
    }  # fmt: skip
    members = frozenset(session.scalars(select(Member.code).where(Member.cooperative_id == coop_id)))
    products = frozenset(session.scalars(select(Product.name)))
    books = StoredBooks(cooperative, accounts, members, products, opening=live_opening(session, coop_id))
    wanted = set(months)
    if books.opening is not None:
        wanted.add((books.opening.year, books.opening.month))
    if wanted:
        vouchers = list(
            session.scalars(
                select(Voucher).where(
                    Voucher.cooperative_id == coop_id, tuple_(Voucher.year, Voucher.month).in_(sorted(wanted))
                )
            )
        )
        books.vouchers = {(v.year, v.month, v.number): v for v in vouchers}
        books.lines = entries_by_voucher(session, coop_id, vouchers)
    return books


def account_rules(accounts: dict[str, ChartAccount]) -> dict[str, AccountRule]:
    """What the voucher checks need of each account: in use, without detail accounts, its auxiliaries."""
    parents = {account.parent for account in accounts.values() if account.parent}
    return {
        code: AccountRule(code, a.is_active, code not in parents, a.member_detail, a.poverty_split)
        for code, a in accounts.items()
    }


def live_opening(session: Session, cooperative_id: int) -> Voucher | None:
    """The opening-balance voucher the books have now: the latest that is neither a reversal nor reversed."""
    reversal = aliased(Voucher)
    return session.scalar(
        select(Voucher)
        .where(
            Voucher.cooperative_id == cooperative_id,
            Voucher.origin == VoucherOrigin.OPENING,
            Voucher.reverses_id.is_(None),
            ~exists().where(reversal.reverses_id == Voucher.id),
        )
        .order_by(Voucher.id.desc())
        .limit(1)
    )


def balances_at(session: Session, cooperative_id: int, start: dt.date) -> dict[BalanceKey, Decimal]:
    """The books' balances (debit − credit) at the start of a month, by account, member and 是否扶贫项目资产.

    Posted vouchers dated before the month count, and the opening-balance vouchers of the month itself (drafts
    too: they are the books' opening, waiting for the accountant's audit), as the trial balance reads them.
    """
    before = or_(Voucher.year < start.year, and_(Voucher.year == start.year, Voucher.month < start.month))
    opening = and_(Voucher.origin == VoucherOrigin.OPENING, Voucher.year == start.year, Voucher.month == start.month)
    query = (
        select(Account.code, Member.code, VoucherLine.poverty_asset, func.sum(VoucherLine.debit),
               func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, Account.id == VoucherLine.account_id)
        .outerjoin(Member, Member.id == VoucherLine.member_id)
        .where(VoucherLine.cooperative_id == cooperative_id,
               or_(and_(before, Voucher.state == VoucherState.POSTED), opening))
        .group_by(Account.code, Member.code, VoucherLine.poverty_asset)
    )  # fmt: skip
    found: dict[BalanceKey, Decimal] = defaultdict(lambda: ZERO)
    for code, member, poverty, debit, credit in session.execute(query):
        net = (debit or ZERO) - (credit or ZERO)
        if net:
            found[(code, member, poverty)] += net
    return dict(found)


def first_before(session: Session, cooperative_id: int, start: dt.date) -> Voucher | None:
    """The first voucher dated before a month that is not an opening-balance voucher (books already running)."""
    return session.scalar(
        select(Voucher)
        .where(
            Voucher.cooperative_id == cooperative_id,
            Voucher.origin != VoucherOrigin.OPENING,
            Voucher.voucher_date < start,
        )
        .order_by(Voucher.voucher_date, Voucher.year, Voucher.month, Voucher.number)
        .limit(1)
    )
