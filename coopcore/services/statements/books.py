"""What the statements read from a cooperative's books: balances at the start of the year and at a month's end,
成员往来 per member, the period's profit and loss, and the period's vouchers on equity accounts.

The year's opening is what the books held before it, with the vouchers that open it: the opening-balance voucher
of books that start in the year (origin OPENING, an opening of the trial balance too) and the voucher that carries
in the years before the books (carried:<year>, 年度结转, dated 1 January), whose 332 and 322 are what the year
starts with, not something it distributed. Only posted vouchers count unless include_unposted, as in the trial
balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from coopcore.models import Account, Cooperative, SpecialFund, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.money import ZERO
from coopcore.rules.entries.accounts import PROFIT_AND_LOSS, first_level
from coopcore.rules.statements import Books, Movement
from coopcore.rules.statements.lines import COLUMN_ACCOUNTS, DISTRIBUTION, MEMBER_ACCOUNTS
from coopcore.services.ledger.balances import net_by_account
from coopcore.services.ledger.carried_events import CARRIED_FORWARD
from coopcore.services.ledger.chart import chart_accounts
from coopcore.services.ledger.register_events import SPECIAL_FUNDS
from coopcore.terms import FundSource

EQUITY = frozenset({*COLUMN_ACCOUNTS.values(), DISTRIBUTION})
YEAR_SURPLUS = "331"


def read_books(
    session: Session, cooperative: Cooperative, year: int, month: int = 12, *, include_unposted: bool = False
) -> Books:
    """The books of a period (January to `month` of `year`) as the statements read them."""
    accounts = chart_accounts(session, cooperative)
    first = {account.id: first_level(code) for code, account in accounts.items() if account.id is not None}

    def ids(codes: Iterable[str]) -> list[int]:
        wanted = set(codes)
        return [account_id for account_id, code in first.items() if code in wanted]

    after = (year, month + 1) if month < 12 else (year + 1, 1)
    closing = _rolled(net_by_account(session, cooperative.id, before=after, include_unposted=include_unposted), first)
    opening = _rolled(
        net_by_account(session, cooperative.id, before=(year, 1), include_unposted=include_unposted), first
    )
    posted = () if include_unposted else (Voucher.state == VoucherState.POSTED,)
    opens = _opens(year)
    period = (VoucherLine.cooperative_id == cooperative.id, VoucherLine.year == year, VoucherLine.month <= month)
    opened = (
        select(VoucherLine.account_id, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(VoucherLine.cooperative_id == cooperative.id, VoucherLine.year == year, opens, *posted)
        .group_by(VoucherLine.account_id)
    )
    for account_id, debit, credit in session.execute(opened):
        code = first[account_id]
        opening[code] = opening.get(code, ZERO) + (debit or ZERO) - (credit or ZERO)
    members = ids([MEMBER_ACCOUNTS])
    return Books(
        opening=opening,
        closing=closing,
        members_opening=_members(session, members, posted, VoucherLine.cooperative_id == cooperative.id,
                                 or_(VoucherLine.year < year, and_(VoucherLine.year == year, opens))),
        members_closing=_members(session, members, posted, VoucherLine.cooperative_id == cooperative.id,
                                 or_(VoucherLine.year < year, and_(*period[1:]))),
        profit_and_loss=_profit_and_loss(session, period, ids(PROFIT_AND_LOSS), posted, opens, first),
        movements=_movements(session, cooperative, period, ids(EQUITY), posted, opens, accounts),
    )  # fmt: skip


def _opens(year: int) -> ColumnElement[bool]:
    """The vouchers that open the year rather than move it (never NULL: it is negated)."""
    carried = func.coalesce(Voucher.source_ref, "") == CARRIED_FORWARD.ref(year)
    return or_(Voucher.origin == VoucherOrigin.OPENING, carried)


def _rolled(balances: dict[int, Decimal], first: dict[int, str]) -> dict[str, Decimal]:
    """Balances by account id rolled up to their first-level accounts."""
    rolled: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for account_id, balance in balances.items():
        rolled[first[account_id]] += balance
    return dict(rolled)


def _members(
    session: Session, accounts: list[int], posted: tuple[ColumnElement[bool], ...], *where: ColumnElement[bool]
) -> list[Decimal]:
    """Each member's balance (debit − credit) on 成员往来, and what lines without a member hold (if any)."""
    query = (
        select(VoucherLine.member_id, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*where, VoucherLine.account_id.in_(accounts), *posted)
        .group_by(VoucherLine.member_id)
    )
    return [(debit or ZERO) - (credit or ZERO) for _, debit, credit in session.execute(query)]


def _profit_and_loss(
    session: Session,
    period: tuple[ColumnElement[bool], ...],
    accounts: list[int],
    posted: tuple[ColumnElement[bool], ...],
    opens: ColumnElement[bool],
    first: dict[int, str],
) -> dict[str, Decimal]:
    """The period's profit and loss by first-level account (debit − credit), without the year-end vouchers that
    carry it into 331 (nor their reversal at a reopen), as 本年盈余 is read for the distribution
    (coopcore.services.year_end.year_surplus)."""
    query = (
        select(VoucherLine.account_id, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*period, VoucherLine.account_id.in_(accounts), *posted, ~opens)
        .where(Voucher.origin != VoucherOrigin.YEAR_END)
        .group_by(VoucherLine.account_id)
    )
    found: dict[int, Decimal] = {}
    for account_id, debit, credit in session.execute(query):
        found[account_id] = (debit or ZERO) - (credit or ZERO)
    return _rolled(found, first)


def _movements(
    session: Session,
    cooperative: Cooperative,
    period: tuple[ColumnElement[bool], ...],
    accounts: list[int],
    posted: tuple[ColumnElement[bool], ...],
    opens: ColumnElement[bool],
    chart: dict[str, Account],
) -> list[Movement]:
    """The period's vouchers that book to an equity account (301, 311, 321, 322, 332), each account's amounts as
    written: a red reversal is stored on the other side of what it cancels, and written negative on that side."""
    code_of = {account.id: code for code, account in chart.items()}
    touching = select(VoucherLine.voucher_id).where(*period, VoucherLine.account_id.in_(accounts))
    query = (
        select(
            Voucher.id,
            Voucher.reverses_id,
            Voucher.source_ref,
            VoucherLine.account_id,
            func.sum(VoucherLine.debit),
            func.sum(VoucherLine.credit),
        )
        .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
        .where(Voucher.id.in_(touching), *posted, ~opens)
        .group_by(Voucher.id, Voucher.reverses_id, Voucher.source_ref, VoucherLine.account_id)
        .order_by(Voucher.id)
    )
    fiscal = {
        SPECIAL_FUNDS.ref(fund_id)
        for fund_id in session.scalars(
            select(SpecialFund.id).where(
                SpecialFund.cooperative_id == cooperative.id, SpecialFund.source == FundSource.FISCAL_SUBSIDY
            )
        )
    }
    vouchers: dict[int, dict[str, tuple[Decimal, Decimal]]] = {}
    subsidy: dict[int, bool] = {}
    for voucher_id, reverses_id, source_ref, account_id, debit, credit in session.execute(query):
        debit, credit = debit or ZERO, credit or ZERO
        if reverses_id is not None:
            debit, credit = -credit, -debit
        amounts = vouchers.setdefault(voucher_id, {})
        code = code_of[account_id]
        old = amounts.get(code, (ZERO, ZERO))
        amounts[code] = (old[0] + debit, old[1] + credit)
        subsidy[voucher_id] = (source_ref or "") in fiscal
    return [Movement(amounts, subsidy[voucher_id]) for voucher_id, amounts in vouchers.items()]
