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
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from coopcore.models import Account, Cooperative, Member, SpecialFund, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.money import ZERO
from coopcore.rules.entries.accounts import PROFIT_AND_LOSS, first_level
from coopcore.rules.statements import Books, Movement
from coopcore.rules.statements.lines import COLUMN_ACCOUNTS, DISTRIBUTION, MEMBER_ACCOUNTS
from coopcore.services.ledger.balances import nets_by_account
from coopcore.services.ledger.carried_events import CARRIED_FORWARD
from coopcore.services.ledger.grouped import per_cooperative, streamed
from coopcore.services.ledger.register_events import SPECIAL_FUNDS
from coopcore.terms import FundSource

EQUITY = frozenset({*COLUMN_ACCOUNTS.values(), DISTRIBUTION})
YEAR_SURPLUS = "331"


def read_books_of(
    session: Session, cooperatives: Iterable[Cooperative], year: int, month: int = 12, *, include_unposted: bool = False
) -> Iterator[tuple[Cooperative, Books]]:
    """The books of a period (January to `month` of `year`) of each cooperative as the statements read them, in the
    order of their ids: as many statements for a township as for one cooperative, each grouped by cooperative and
    consumed one cooperative at a time (only their charts, a code per account, are held for all at once)."""
    ordered = sorted(cooperatives, key=lambda cooperative: cooperative.id)
    ids = [cooperative.id for cooperative in ordered]
    codes = _account_codes(session, ids)
    first = {account_id: first_level(code) for account_id, code in codes.items()}

    def accounts(wanted: Iterable[str]) -> list[int]:
        chosen = set(wanted)
        return [account_id for account_id, code in first.items() if code in chosen]

    after = (year, month + 1) if month < 12 else (year + 1, 1)
    closing = nets_by_account(session, ids, before=after, include_unposted=include_unposted)
    opening = nets_by_account(session, ids, before=(year, 1), include_unposted=include_unposted)
    posted = () if include_unposted else (Voucher.state == VoucherState.POSTED,)
    opens = _opens(year)
    mine = VoucherLine.cooperative_id.in_(ids)
    period = (mine, VoucherLine.year == year, VoucherLine.month <= month)
    opened = (
        select(VoucherLine.cooperative_id, VoucherLine.account_id,
               func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(mine, VoucherLine.year == year, opens, *posted)
        .group_by(VoucherLine.cooperative_id, VoucherLine.account_id)
        .order_by(VoucherLine.cooperative_id)
    )  # fmt: skip
    members = accounts([MEMBER_ACCOUNTS])
    at_start, at_end = _cuts(ids, year, month)
    each = zip(
        closing,
        opening,
        per_cooperative(ids, streamed(session, opened)),
        per_cooperative(ids, _member_balances(session, members, posted, *at_start)),
        per_cooperative(ids, _member_balances(session, members, posted, *at_end)),
        per_cooperative(ids, _profit_and_loss(session, period, accounts(PROFIT_AND_LOSS), posted, opens)),
        _movements(session, ids, period, accounts(EQUITY), posted, opens, codes),
        strict=True,
    )
    for cooperative, (ends, starts, opened_rows, members_opening, members_closing, profit, movements) in zip(
        ordered, each, strict=True
    ):
        opening_balances = _rolled(starts[1], first)
        for _, account_id, debit, credit in opened_rows:
            code = first[account_id]
            opening_balances[code] = opening_balances.get(code, ZERO) + (debit or ZERO) - (credit or ZERO)
        found: dict[int, Decimal] = {}
        for _, account_id, debit, credit in profit:
            found[account_id] = (debit or ZERO) - (credit or ZERO)
        yield (
            cooperative,
            Books(
                opening=opening_balances,
                closing=_rolled(ends[1], first),
                members_opening=[(debit or ZERO) - (credit or ZERO) for _, _, debit, credit in members_opening],
                members_closing=[(debit or ZERO) - (credit or ZERO) for _, _, debit, credit in members_closing],
                profit_and_loss=_rolled(found, first),
                movements=movements,
            ),
        )


def federation_share_capital(
    session: Session,
    federations: Iterable[Cooperative],
    members: Iterable[int],
    year: int,
    month: int = 12,
    *,
    include_unposted: bool = False,
) -> dict[int, dict[int, tuple[Decimal, Decimal]]]:
    """What each federation's 股金 (301) holds for each of its members that is one of the given cooperatives (by
    federation, then cooperative id): at the end of the period and at the start of the year, as its statements
    read them. The same four statements for every number of federations."""
    ids = sorted(federation.id for federation in federations)
    if not ids:
        return {}
    accounts = [account_id for account_id, code in _account_codes(session, ids).items() if code.startswith("301")]
    posted = () if include_unposted else (Voucher.state == VoucherState.POSTED,)
    rows = session.execute(
        select(Member.id, Member.cooperative_id, Member.member_cooperative_id).where(
            Member.cooperative_id.in_(ids), Member.member_cooperative_id.in_(list(members))
        )
    )
    theirs = {member_id: (federation_id, cooperative_id) for member_id, federation_id, cooperative_id in rows
              if cooperative_id is not None}  # fmt: skip
    at_start, at_end = _cuts(ids, year, month)
    chosen = VoucherLine.member_id.in_(list(theirs))
    end = _net(_member_balances(session, accounts, posted, *at_end, chosen))
    start = _net(_member_balances(session, accounts, posted, *at_start, chosen))
    found: dict[int, dict[int, tuple[Decimal, Decimal]]] = {}
    for member_id, (federation_id, cooperative_id) in theirs.items():
        held = found.setdefault(federation_id, {})
        old = held.get(cooperative_id, (ZERO, ZERO))
        held[cooperative_id] = (old[0] - end.get(member_id, ZERO), old[1] - start.get(member_id, ZERO))
    return found


def _account_codes(session: Session, cooperative_ids: list[int]) -> dict[int, str]:
    """The code of every account the cooperatives' books hold, by account id (a chart never used has no line to
    read: coopcore.services.ledger.chart.chart_accounts)."""
    query = select(Account.id, Account.code).where(Account.cooperative_id.in_(cooperative_ids))
    return {account_id: code for account_id, code in session.execute(query)}


def _cuts(cooperative_ids: list[int], year: int, month: int) -> tuple[tuple[ColumnElement[bool], ...], ...]:
    """The lines of the year's opening and of everything to the period's end (the vouchers that open the year
    are its opening)."""
    mine = VoucherLine.cooperative_id.in_(cooperative_ids)
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
) -> Iterator[Any]:
    """Each member's debits and credits on the accounts (None: lines without a member), by cooperative and member,
    in the order of the cooperatives."""
    query = (
        select(VoucherLine.cooperative_id, VoucherLine.member_id, func.sum(VoucherLine.debit),
               func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*where, VoucherLine.account_id.in_(accounts), *posted)
        .group_by(VoucherLine.cooperative_id, VoucherLine.member_id)
        .order_by(VoucherLine.cooperative_id)
    )  # fmt: skip
    return streamed(session, query)


def _net(rows: Iterable[Any]) -> dict[int | None, Decimal]:
    """Member balances (debit − credit) by member id."""
    return {member: (debit or ZERO) - (credit or ZERO) for _, member, debit, credit in rows}


def _profit_and_loss(
    session: Session,
    period: tuple[ColumnElement[bool], ...],
    accounts: list[int],
    posted: tuple[ColumnElement[bool], ...],
    opens: ColumnElement[bool],
) -> Iterator[Any]:
    """The period's profit and loss by cooperative and account (debits and credits), without the year-end vouchers
    that carry it into 331 (nor their reversal at a reopen), as 本年盈余 is read for the distribution
    (coopcore.services.year_end.year_surplus)."""
    query = (
        select(VoucherLine.cooperative_id, VoucherLine.account_id, func.sum(VoucherLine.debit),
               func.sum(VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(*period, VoucherLine.account_id.in_(accounts), *posted, ~opens)
        .where(Voucher.origin != VoucherOrigin.YEAR_END)
        .group_by(VoucherLine.cooperative_id, VoucherLine.account_id)
        .order_by(VoucherLine.cooperative_id)
    )  # fmt: skip
    return streamed(session, query)


def _movements(
    session: Session,
    cooperative_ids: list[int],
    period: tuple[ColumnElement[bool], ...],
    accounts: list[int],
    posted: tuple[ColumnElement[bool], ...],
    opens: ColumnElement[bool],
    codes: dict[int, str],
) -> Iterator[list[Movement]]:
    """Each cooperative's vouchers of the period that book to an equity account (301, 311, 321, 322, 332), each
    account's amounts as written: a red reversal is stored on the other side of what it cancels, and written
    negative on that side. In the order of the cooperatives."""
    touching = select(VoucherLine.voucher_id).where(*period, VoucherLine.account_id.in_(accounts))
    query = (
        select(
            Voucher.cooperative_id,
            Voucher.id,
            Voucher.reverses_id,
            Voucher.source_ref,
            VoucherLine.account_id,
            func.sum(VoucherLine.debit),
            func.sum(VoucherLine.credit),
        )
        .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
        .where(Voucher.id.in_(touching), *posted, ~opens)
        .group_by(Voucher.cooperative_id, Voucher.id, Voucher.reverses_id, Voucher.source_ref, VoucherLine.account_id)
        .order_by(Voucher.cooperative_id, Voucher.id)
    )
    # A fund's id is its own in every cooperative: one set of the fiscal subsidies' references serves them all.
    fiscal = {
        SPECIAL_FUNDS.ref(fund_id)
        for fund_id in session.scalars(
            select(SpecialFund.id).where(
                SpecialFund.cooperative_id.in_(cooperative_ids), SpecialFund.source == FundSource.FISCAL_SUBSIDY
            )
        )
    }
    for rows in per_cooperative(cooperative_ids, streamed(session, query)):
        vouchers: dict[int, dict[str, tuple[Decimal, Decimal]]] = {}
        subsidy: dict[int, bool] = {}
        for _, voucher_id, reverses_id, source_ref, account_id, debit, credit in rows:
            debit, credit = debit or ZERO, credit or ZERO
            if reverses_id is not None:
                debit, credit = -credit, -debit
            amounts = vouchers.setdefault(voucher_id, {})
            code = codes[account_id]
            old = amounts.get(code, (ZERO, ZERO))
            amounts[code] = (old[0] + debit, old[1] + credit)
            subsidy[voucher_id] = (source_ref or "") in fiscal
        yield [Movement(amounts, subsidy[voucher_id]) for voucher_id, amounts in vouchers.items()]
