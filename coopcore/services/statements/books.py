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

from coopcore.models import Account, Cooperative, Member, SpecialFund, Voucher, VoucherLine, VoucherOrigin, VoucherState
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
    at_start, at_end = _cuts(cooperative, year, month)
    return Books(
        opening=opening,
        closing=closing,
        members_opening=list(_member_balances(session, members, posted, *at_start).values()),
        members_closing=list(_member_balances(session, members, posted, *at_end).values()),
        profit_and_loss=_profit_and_loss(session, period, ids(PROFIT_AND_LOSS), posted, opens, first),
        movements=_movements(session, cooperative, period, ids(EQUITY), posted, opens, accounts),
    )


def federation_share_capital(
    session: Session,
    federation: Cooperative,
    members: Iterable[int],
    year: int,
    month: int = 12,
    *,
    include_unposted: bool = False,
) -> dict[int, tuple[Decimal, Decimal]]:
    """What a federation's 股金 (301) holds for each of its members that is one of the given cooperatives (by
    cooperative id): at the end of the period and at the start of the year, as its statements read them."""
    accounts = [a.id for code, a in chart_accounts(session, federation).items() if code.startswith("301") and a.id]
    posted = () if include_unposted else (Voucher.state == VoucherState.POSTED,)
    rows = session.execute(
        select(Member.id, Member.member_cooperative_id).where(
            Member.cooperative_id == federation.id, Member.member_cooperative_id.in_(list(members))
        )
    )
    theirs = {member_id: cooperative_id for member_id, cooperative_id in rows if cooperative_id is not None}
    found: dict[int, tuple[Decimal, Decimal]] = {}
    at_start, at_end = _cuts(federation, year, month)
    chosen = VoucherLine.member_id.in_(list(theirs))
    end = _member_balances(session, accounts, posted, *at_end, chosen)
    start = _member_balances(session, accounts, posted, *at_start, chosen)
    for member_id, cooperative_id in theirs.items():
        old = found.get(cooperative_id, (ZERO, ZERO))
        found[cooperative_id] = (old[0] - end.get(member_id, ZERO), old[1] - start.get(member_id, ZERO))
    return found


def _cuts(cooperative: Cooperative, year: int, month: int) -> tuple[tuple[ColumnElement[bool], ...], ...]:
    """The lines of the year's opening and of everything to the period's end (the vouchers that open the year
    are its opening)."""
    mine = VoucherLine.cooperative_id == cooperative.id
    before = VoucherLine.year < year
    return (
        (mine, or_(before, and_(VoucherLine.year == year, _opens(year)))),
        (mine, or_(before, and_(VoucherLine.year == year, VoucherLine.month <= month))),
    )


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


def _member_balances(
    session: Session, accounts: list[int], posted: tuple[ColumnElement[bool], ...], *where: ColumnElement[bool]
) -> dict[int | None, Decimal]:
    """Each member's balance (debit − credit) on the accounts, by member id (None: lines without a member)."""
    query = (
        select(VoucherLine.member_id, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*where, VoucherLine.account_id.in_(accounts), *posted)
        .group_by(VoucherLine.member_id)
    )
    return {member: (debit or ZERO) - (credit or ZERO) for member, debit, credit in session.execute(query)}


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
