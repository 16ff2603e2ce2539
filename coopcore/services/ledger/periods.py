"""结账 and 反结账: closing months in order, each checked, with the year's profit and loss carried at December;
reopening only the latest closed month.

A close refuses a month with manual drafts or audited vouchers not posted (a voucher deleted is gone, not void:
nothing is left to block the close), posts the month's vouchers booked from business events, checks that every
voucher and the trial balance balance, and that the next month opens with exactly this month's closing balances.
December's close books the year-end vouchers: profit and loss into 331 [KJ 331 二], 331 into 332—未分配盈余
[KJ 331 三]. Reopening December reverses them (红字冲销, as every posted voucher is undone), so that the books
keep every voucher they ever posted; closing it again books them anew from the balances as they are then.
After the months are closed, the member register is reconciled with the books at the end of the last one: its
differences come back with the months closed, to be shown, and do not keep a month open.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy_continuum.operation import Operation

from coopcore.db.audit import write_versions
from coopcore.db.bulk import insert_rows
from coopcore.db.locks import lock
from coopcore.errors import CoopError, Term
from coopcore.models import (
    Cooperative,
    FiscalYear,
    FiscalYearState,
    Period,
    PeriodBalance,
    PeriodState,
    Voucher,
    VoucherLine,
    VoucherOrigin,
    VoucherState,
)
from coopcore.money import ZERO
from coopcore.rules import entries
from coopcore.rules.entries.income import CARRY_EXPENSE, CARRY_INCOME
from coopcore.rules.findings import Finding, Severity, error
from coopcore.services.ledger.balances import (
    EVENT_ORIGINS,
    UNPOSTED,
    MonthSums,
    TrialBalance,
    changed_sums,
    month_sums,
    net_by_account,
    stored_sums,
    trial_balance,
)
from coopcore.services.ledger.books import CHUNK, voucher_name
from coopcore.services.ledger.carried_events import PREFIX as CARRIED_PREFIX
from coopcore.services.ledger.chart import accounts_by_code
from coopcore.services.ledger.errors import (
    AUDITED_LEFT,
    CLOSING_SIDE,
    DRAFT_LEFT,
    EVENT_UNREVIEWED,
    OPENING_DIFFERS,
    OPENING_SIDE,
    PERIOD_SIDE,
    TRIAL_UNBALANCED,
    VOUCHER_UNBALANCED,
    AlreadyClosed,
    CloseRefused,
    NothingClosed,
    ReopenRefused,
    period_name,
)
from coopcore.services.ledger.events import book_event, event_voucher
from coopcore.services.ledger.reconcile import reconcile

YEAR_END_PARTS = {CARRY_INCOME: "income", CARRY_EXPENSE: "expense"}  # the rest: "transfer"
Month = tuple[int, int]


class _Refused(Exception):
    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings


@dataclass(frozen=True)
class Closed:
    """The months a close closed, and where the member register and the books differ at the end of the last."""

    months: list[Month]
    differences: list[Finding]


def close_period(session: Session, cooperative: Cooperative, year: int, month: int, *, by: str) -> Closed:
    """Close a month and every open month before it, in order, each checked; return the months closed.

    At the first month that cannot close, raise CloseRefused with every reason found in it; the months before
    it stay closed in the session (its caller commits them, or not), that month is left exactly as it was.
    Either way the register is reconciled with the books at the end of the last month closed
    (coopcore.services.ledger.reconcile): its differences are reported, they do not keep the month open. A
    difference may lie in the register (a payment not recorded) as well as in the books, and the close certifies
    the books balance, not that every record outside them agrees; `coop check` reports them until they are fixed.
    """
    lock(session, cooperative)  # one close, reopen or voucher writer of the cooperative at a time
    accounts_by_code(session, cooperative)  # the chart, if the books have not been used yet
    months = _open_months_through(session, cooperative, (year, month))
    if not months:
        raise AlreadyClosed(period=period_name(year, month))
    closed: list[Month] = []
    for current in months:
        try:
            with session.begin_nested():
                findings = _close(session, cooperative, current, by)
                if findings:
                    raise _Refused(findings)
        except _Refused as refused:
            findings = refused.findings
        except CoopError as failure:  # a refusal on the way (a year-end voucher the chart cannot take …)
            findings = [Finding("close", Severity.ERROR, failure.message_template, failure.fields)]
        else:
            closed.append(current)
            continue
        differences = _reconciled(session, cooperative, closed)
        raise CloseRefused(period_name(*current), findings, [period_name(*m) for m in closed], differences)
    return Closed(closed, _reconciled(session, cooperative, closed))


def _reconciled(session: Session, cooperative: Cooperative, closed: list[Month]) -> list[Finding]:
    """The register reconciled with the books at the end of the last month closed (none closed: nothing)."""
    if not closed:
        return []
    return reconcile(session, cooperative, _last_day(closed[-1]))


def reopen_period(session: Session, cooperative: Cooperative, year: int, month: int, *, by: str) -> Period:
    """Reopen the latest closed month (反结账); December's year-end vouchers are reversed."""
    lock(session, cooperative)
    latest = latest_closed(session, cooperative)
    if latest is None:
        raise NothingClosed(cooperative=cooperative.name)
    if (latest.year, latest.month) != (year, month):
        raise ReopenRefused(period=period_name(year, month), latest=period_name(latest.year, latest.month))
    latest.state, latest.closed_at, latest.closed_by = PeriodState.OPEN, None, ""
    session.flush()
    session.execute(
        delete(PeriodBalance).where(
            PeriodBalance.cooperative_id == cooperative.id, PeriodBalance.year == year, PeriodBalance.month == month
        )
    )
    if month == 12:
        _close_the_year(session, cooperative, year, closing=False)
        session.flush()  # the year is open again before its year-end vouchers are reversed
        for part in ("income", "expense", "transfer"):
            reference = _year_end_reference(year, part)
            if event_voucher(session, cooperative, reference) is not None:
                book_event(
                    session,
                    cooperative,
                    origin=VoucherOrigin.YEAR_END,
                    source_ref=reference,
                    on=dt.date(year, 12, 31),
                    summary="",
                    lines=[],
                    by=by,
                )
    return latest


def latest_closed(session: Session, cooperative: Cooperative) -> Period | None:
    """The cooperative's latest closed month, if any."""
    return session.scalar(
        select(Period)
        .where(Period.cooperative_id == cooperative.id, Period.state == PeriodState.CLOSED)
        .order_by(Period.year.desc(), Period.month.desc())
        .limit(1)
    )


def _open_months_through(session: Session, cooperative: Cooperative, target: Month) -> list[Month]:
    """The open months up to the target: after the latest closed one, or from the first voucher of the books."""
    latest = latest_closed(session, cooperative)
    if latest is not None:
        if (latest.year, latest.month) >= target:
            return []
        start = _next((latest.year, latest.month))
    else:
        first = session.execute(
            select(Voucher.year, Voucher.month)
            .where(Voucher.cooperative_id == cooperative.id)
            .order_by(Voucher.year, Voucher.month)
            .limit(1)
        ).first()
        start = min((first[0], first[1]), target) if first is not None else target
    return list(_months(start, target))


def _close(session: Session, cooperative: Cooperative, month: Month, by: str) -> list[Finding]:
    """Close one month: its findings if it cannot close, nothing once it is closed.

    The month's lines are summed once (month_sums), after its event vouchers are posted; December's year-end
    vouchers are added to those sums as they are booked. The sums then serve the trial balance, are stored, and
    the next month's opening is read back from what was stored. A month that cannot close is marked and stored
    all the same, so that every finding is found; close_period's savepoint undoes it.
    """
    year, number = month
    findings = _waiting(session, cooperative, month)
    if findings:
        return findings
    _post_events(session, cooperative, month, by)
    sums = month_sums(session, cooperative.id, year, number)
    if number == 12:
        sums = _carry_the_year(session, cooperative, year, by, sums)
    findings = _unbalanced_vouchers(session, cooperative, month)
    balance = trial_balance(session, cooperative, year, number, sums=sums)
    findings += _unbalanced_trial(balance)
    period = session.scalar(
        select(Period).where(Period.cooperative_id == cooperative.id, Period.year == year, Period.month == number)
    )
    if period is None:
        period = Period(cooperative_id=cooperative.id, year=year, month=number)
        session.add(period)
    period.state, period.closed_at, period.closed_by = PeriodState.CLOSED, dt.datetime.now(), by
    if number == 12:
        _close_the_year(session, cooperative, year, closing=True)
    session.flush()
    # The month's sums per account, read from now on instead of its lines (coopcore.services.ledger.balances).
    insert_rows(session, PeriodBalance, stored_sums(cooperative.id, year, number, sums))
    return findings + _carried_exactly(session, cooperative, balance)


def _close_the_year(session: Session, cooperative: Cooperative, year: int, *, closing: bool) -> None:
    """Closing December closes the fiscal year, and reopening it reopens the year: a closed year refuses every
    change on every path (the database's closed-year guards, migration 16d8e29af6dc)."""
    fiscal_year = session.scalar(
        select(FiscalYear)
        .where(FiscalYear.cooperative_id == cooperative.id, FiscalYear.year == year)
        .with_for_update()  # a distribution being posted or reversed in the year finishes first
    )
    if fiscal_year is None:  # a year before the register's first (founders' contributions): history, no year
        return
    fiscal_year.state = FiscalYearState.CLOSED if closing else FiscalYearState.OPEN
    fiscal_year.closed_at = dt.datetime.now() if closing else None


def _waiting(session: Session, cooperative: Cooperative, month: Month) -> list[Finding]:
    """Vouchers that keep the month open: manual drafts and audited ones not posted, and event vouchers not yet
    reviewed where the cooperative reviews them."""
    unposted = session.scalars(
        select(Voucher).where(*_in_month(cooperative, month), Voucher.state.in_(UNPOSTED)).order_by(Voucher.number)
    )
    findings: list[Finding] = []
    for voucher in unposted:
        name = voucher_name(voucher)
        if not voucher.origin.is_event:
            template = DRAFT_LEFT if voucher.state is VoucherState.DRAFT else AUDITED_LEFT
            findings += error("close_unposted", template, key="state", voucher=name)
        elif voucher.state is VoucherState.DRAFT and (cooperative.ledger_review_events or _assumed(voucher)):
            findings += error("close_unreviewed", EVENT_UNREVIEWED, key="state", voucher=name)
    return findings


def _post_events(session: Session, cooperative: Cooperative, month: Month, by: str) -> None:
    """Post the month's vouchers booked from business events (audited ones where the cooperative reviews them).

    One statement for the month: the lines were checked when booked, and the database refuses to post a voucher
    whose debits and credits differ.
    """
    waiting = Voucher.state == VoucherState.AUDITED
    if not cooperative.ledger_review_events:  # the carried-in voucher rests on an assumption: always reviewed
        assumed = func.coalesce(Voucher.source_ref, "").startswith(CARRIED_PREFIX + ":")
        unreviewed = and_(Voucher.state == VoucherState.DRAFT, ~assumed)
        waiting = or_(waiting, unreviewed)
    post_where(session, (*_in_month(cooperative, month), Voucher.origin.in_(EVENT_ORIGINS), waiting), by)


def _assumed(voucher: Voucher) -> bool:
    return (voucher.source_ref or "").startswith(CARRIED_PREFIX + ":")


def post_where(session: Session, where: tuple[ColumnElement[bool], ...], by: str, *, written_now: bool = False) -> None:
    """Post every voucher the conditions select in one statement (their lines were checked when written; the
    database refuses to post one that does not balance), with the audit version of each change.

    `written_now`: the vouchers were written by add_vouchers in this transaction, have no version yet, and the
    conditions still select them once posted.
    """
    session.flush()
    now = dt.datetime.now()
    # The vouchers posted, found before the conditions (their state among them) stop selecting them.
    ids = [] if written_now else list(session.scalars(select(Voucher.id).where(*where)))
    session.execute(
        update(Voucher)
        .where(*where)
        .values(state=VoucherState.POSTED, posted_by=by, posted_at=now, version=Voucher.version + 1)
        .execution_options(synchronize_session=False)
    )
    if written_now:
        write_versions(session, Voucher, and_(*where), operation=Operation.UPDATE, earlier=False)
    for start in range(0, len(ids), CHUNK):
        write_versions(session, Voucher, Voucher.id.in_(ids[start : start + CHUNK]), operation=Operation.UPDATE)
    for record in list(session.identity_map.values()):
        if isinstance(record, Voucher):
            session.expire(record, ["state", "posted_by", "posted_at", "version"])


def _carry_the_year(session: Session, cooperative: Cooperative, year: int, by: str, sums: MonthSums) -> MonthSums:
    """Book and post the year-end vouchers (coopcore.rules.entries.year_end_vouchers) from the balances of every
    account booked to at the end of December; 331's own balance counts (a distribution may have moved it).

    `sums` are December's before them (month_sums); returned with what the year-end vouchers changed, which
    are found by their origin and summed alone.
    """
    code_of = {account.id: code for code, account in accounts_by_code(session, cooperative).items()}
    held = net_by_account(session, cooperative.id, before=(year, 12))
    for (account_id, _, _), (debit, credit) in sums.items():
        held[account_id] = held.get(account_id, ZERO) + debit - credit
    balances = {code_of[account_id]: value for account_id, value in held.items() if value}
    before = month_sums(session, cooperative.id, year, 12, origin=VoucherOrigin.YEAR_END)
    booked = []
    for summary, lines in entries.year_end_vouchers(balances):
        reference = _year_end_reference(year, YEAR_END_PARTS.get(summary, "transfer"))
        voucher = book_event(
            session,
            cooperative,
            origin=VoucherOrigin.YEAR_END,
            source_ref=reference,
            on=dt.date(year, 12, 31),
            summary=summary,
            lines=lines,
            by=by,
        )
        if voucher is not None and voucher.state is not VoucherState.POSTED:
            booked.append(voucher.id)
    if booked:
        post_where(session, (Voucher.id.in_(booked),), by)
    session.flush()
    # book_event writes only vouchers of the origin it is given, their red reversals included (reverse_voucher).
    after = month_sums(session, cooperative.id, year, 12, origin=VoucherOrigin.YEAR_END)
    return changed_sums(sums, before, after)


def _unbalanced_vouchers(session: Session, cooperative: Cooperative, month: Month) -> list[Finding]:
    """Every voucher of the month balances with two lines or more (whoever wrote it, however).

    One statement in the usual case: the month's lines grouped by their voucher alone, counting the groups and the
    wrong ones, against the month's vouchers (a voucher without lines has no group). Only when something is wrong
    are the vouchers named. Joining each line to its voucher took longer than summing the whole year (PostgreSQL,
    December of 1,000,000 lines: 0.18 s).
    """
    lines = (
        VoucherLine.cooperative_id == cooperative.id,
        VoucherLine.year == month[0],
        VoucherLine.month == month[1],
    )
    debit, credit = func.sum(VoucherLine.debit), func.sum(VoucherLine.credit)
    # One sum per voucher, not two: PostgreSQL keeps a numeric sum's state per group, 34,000 of them in December.
    wrong_group = (func.count() < 2) | (func.sum(VoucherLine.debit - VoucherLine.credit) != 0)
    groups = (
        select(VoucherLine.voucher_id, case((wrong_group, 1), else_=0).label("wrong"))
        .where(*lines)
        .group_by(VoucherLine.voucher_id)
        .subquery()
    )
    vouchers = select(func.count()).select_from(Voucher).where(*_in_month(cooperative, month)).scalar_subquery()
    counted, with_lines, wrong_groups = session.execute(
        select(vouchers, func.count(), func.coalesce(func.sum(groups.c.wrong), 0)).select_from(groups)
    ).one()
    if counted == with_lines and not wrong_groups:
        return []
    sums = select(VoucherLine.voucher_id, debit, credit).where(*lines).group_by(VoucherLine.voucher_id)
    wrong: dict[int, tuple[object, object]] = {
        voucher_id: (line_debit, line_credit)
        for voucher_id, line_debit, line_credit in session.execute(sums.having(wrong_group))
    }
    if counted != with_lines:  # rare: a voucher without lines
        has_lines = exists().where(VoucherLine.voucher_id == Voucher.id)
        lineless = session.scalars(select(Voucher.id).where(*_in_month(cooperative, month), ~has_lines))
        wrong.update({voucher_id: (None, None) for voucher_id in lineless})
    named = session.execute(
        select(Voucher.id, Voucher.year, Voucher.month, Voucher.word, Voucher.number)
        .where(Voucher.id.in_(list(wrong)))
        .order_by(Voucher.number)
    )
    return [
        Finding(
            "close_voucher",
            Severity.ERROR,
            VOUCHER_UNBALANCED,
            {
                "voucher": f"{period_name(y, m)} {word}-{n}",
                "debit": wrong[voucher_id][0] or 0,
                "credit": wrong[voucher_id][1] or 0,
            },
        )
        for voucher_id, y, m, word, n in named
    ]


def _unbalanced_trial(balance: TrialBalance) -> list[Finding]:
    """试算平衡: opening, period and closing debits each equal their credits."""
    t, period = balance.totals, period_name(balance.year, balance.month or 12)
    sides = [
        (Term(OPENING_SIDE), t.opening_debit, t.opening_credit),
        (Term(PERIOD_SIDE), t.debit, t.credit),
        (Term(CLOSING_SIDE), t.closing_debit, t.closing_credit),
    ]
    return [
        Finding(
            "close_trial",
            Severity.ERROR,
            TRIAL_UNBALANCED,
            {"period": period, "side": side, "debit": debit, "credit": credit},
        )
        for side, debit, credit in sides
        if debit != credit
    ]


def _carried_exactly(session: Session, cooperative: Cooperative, balance: TrialBalance) -> list[Finding]:
    """The next month opens with exactly the closing balance of this one, account by account (the next year's
    opening balances at December), read by another query than the one that computed them: once the month is
    closed, from the sums its close stored, which every later balance reads instead of its lines."""
    month = balance.month or 12
    following = trial_balance(session, cooperative, *_next((balance.year, month)))
    closing = {row.code: row.columns.closing for row in balance.rows}
    return [
        Finding(
            "close_carried",
            Severity.ERROR,
            OPENING_DIFFERS,
            {
                "account": row.code,
                "year": period_name(following.year, following.month or 1),
                "opening": row.columns.opening,
                "closing": closing.get(row.code, 0),
                "previous": period_name(balance.year, month),
            },
        )
        for row in following.rows
        if row.columns.opening != closing.get(row.code, 0)
    ]


def _in_month(cooperative: Cooperative, month: Month) -> tuple[ColumnElement[bool], ...]:
    return (Voucher.cooperative_id == cooperative.id, Voucher.year == month[0], Voucher.month == month[1])


def _year_end_reference(year: int, part: str) -> str:
    return f"year_end:{year}:{part}"


def _last_day(month: Month) -> dt.date:
    return dt.date(*month, calendar.monthrange(*month)[1])


def _next(month: Month) -> Month:
    return (month[0], month[1] + 1) if month[1] < 12 else (month[0] + 1, 1)


def _months(start: Month, end: Month) -> Iterator[Month]:
    current = start
    while current <= end:
        yield current
        current = _next(current)
