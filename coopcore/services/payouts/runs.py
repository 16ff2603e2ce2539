"""A payment run's life: chosen (lines and payees frozen) → sent to the bank → settled with its result, or cancelled.

Each function is one step of one transaction the caller owns: it flushes, never commits, and what it refuses it
refuses before anything is written or with everything it wrote rolled back by the caller. Choosing and settling
hold the cooperative's row (coopcore.db.locks): two clerks choosing at once take turns, and the second finds
what the first claimed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

from sqlalchemy import exc, func, select
from sqlalchemy.orm import Session

from coopcore.db.locks import lock
from coopcore.errors import InvalidValue, Term
from coopcore.labels import term
from coopcore.models import Cooperative, Distribution, DistributionLine, Member, PaymentRun, PaymentRunLine
from coopcore.rules import entries
from coopcore.rules.entries.accounts import MEMBER_ACCOUNTS
from coopcore.rules.transfers import transfers

# The distribution's workflow reads the claims (payouts.claims) when it pays: its errors are used at call time.
from coopcore.services import distribution as workflow
from coopcore.services.ledger.books import require_open
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.services.ledger.sync import sync_events
from coopcore.services.payouts.errors import (
    CashNotSent,
    ClaimTaken,
    NoPayeeAccount,
    NothingToPay,
    ReasonNeeded,
    RunState,
    SettledTooEarly,
    UnknownTransfer,
)
from coopcore.services.payouts.items import PayableItem, payable_items, read_kinds
from coopcore.terms import DistributionState, PaymentMethod, PaymentRunState, PayoutChannel, PayoutKind, PayoutResult

PURPOSE_LENGTH = 60  # the column; banks' 用途 fields are often shorter, the purpose is the clerk's to keep short
NO_PURPOSE = "A payment run needs its purpose (用途), as the bank file carries it: 2024年分红."
OPEN = (PaymentRunState.DRAFT, PaymentRunState.SENT)


def choose_run(
    session: Session,
    cooperative: Cooperative,
    *,
    made_on: dt.date,
    channel: PayoutChannel | str,
    purpose: str,
    kinds: Iterable[PayoutKind | str],
    member_codes: Collection[str] | None = None,
) -> PaymentRun:
    """Choose what to pay now into a new run, freezing each line's amount and the household's payee details."""
    channel = PayoutChannel(channel)
    purpose = " ".join(purpose.split())
    if not purpose or len(purpose) > PURPOSE_LENGTH:
        raise InvalidValue(NO_PURPOSE, value=purpose)
    _happened(made_on, "payment run")
    wanted = read_kinds(kinds)
    lock(session, cooperative)  # the second of two clerks choosing at once sees what the first claimed
    items = payable_items(session, cooperative, kinds=wanted, on=made_on, member_codes=member_codes)
    if not items:
        members = f" ({', '.join(sorted(member_codes))})" if member_codes else ""
        raise NothingToPay(day=made_on.isoformat(), members=members)
    return freeze_run(session, cooperative, items, made_on=made_on, channel=channel, purpose=purpose)


def freeze_run(
    session: Session,
    cooperative: Cooperative,
    items: list[PayableItem],
    *,
    made_on: dt.date,
    channel: PayoutChannel,
    purpose: str,
) -> PaymentRun:
    """Write a run of these items, numbered next in the cooperative; a claim another run holds is refused."""
    payees = {member.id: member for member in session.scalars(
        select(Member).where(Member.id.in_(sorted({item.member_id for item in items}))))}  # fmt: skip
    if channel is PayoutChannel.BANK:
        missing = sorted({f"{m.code} {m.name}" for m in payees.values() if not (m.payee_account or "").strip()})
        if missing:
            raise NoPayeeAccount(members=", ".join(missing))
    last = session.scalar(select(func.max(PaymentRun.number)).where(PaymentRun.cooperative_id == cooperative.id))
    run = PaymentRun(cooperative_id=cooperative.id, number=(last or 0) + 1, made_on=made_on, channel=channel,
                     purpose=purpose, state=PaymentRunState.DRAFT)  # fmt: skip
    for line_no, item in enumerate(items, start=1):
        member = payees[item.member_id]
        run.lines.append(
            PaymentRunLine(
                line_no=line_no,
                member_id=item.member_id,
                kind=item.kind,
                account=item.account,
                distribution_line_id=item.distribution_line_id,
                amount=item.amount,
                # 户名 is the account holder's; without one, and on a cash list (the household signs for its money),
                # the household as the register names it.
                payee_name=_payee_name(member, channel),
                payee_account=(member.payee_account or "").strip() if channel is PayoutChannel.BANK else "",
                payee_bank=(member.payee_bank or "").strip() if channel is PayoutChannel.BANK else "",
                result=PayoutResult.PENDING,
                claim=item.claim,
            )
        )
    session.add(run)
    try:
        session.flush()
    except exc.IntegrityError as error:
        # uq_payment_run_line_claim: another run claimed one of these between our reading and our writing.
        if "claim" in str(error.orig):
            raise ClaimTaken(number=run.number) from None
        raise
    return run


def _payee_name(member: Member, channel: PayoutChannel) -> str:
    holder = member.payee_name if channel is PayoutChannel.BANK else None
    return (holder or member.household_head or member.name).strip()


def mark_sent(session: Session, run: PaymentRun, sent_on: dt.date) -> PaymentRun:
    """Record that a bank run's file went to the bank."""
    lock(session, run)
    _require(run, (PaymentRunState.DRAFT,), "sent")
    if run.channel is PayoutChannel.CASH:
        raise CashNotSent(number=run.number)
    _happened(sent_on, "payment run")
    if sent_on < run.made_on:
        raise SettledTooEarly(number=run.number, action=Term("sent"), day=sent_on.isoformat(), event=Term("chosen"),
                              earlier=run.made_on.isoformat())  # fmt: skip
    run.state = PaymentRunState.SENT
    run.sent_on = sent_on
    session.flush()
    return run


def settle_run(
    session: Session, run: PaymentRun, *, settled_on: dt.date, returned: Mapping[int, str] | None = None
) -> PaymentRun:
    """Record the bank's result: the transfers named returned (序号 in the run's file → reason), every other paid.

    Every line of a returned transfer is returned with its reason (coopcore.rules.transfers), gives up its claim
    and stays owed, for the next run; the paid lines book one voucher. A
    distribution line whose 221 and 222 parts are both paid is paid (PaymentMethod.RUN), and its distribution
    once every line is.
    """
    cooperative = session.get(Cooperative, run.cooperative_id)
    assert cooperative is not None
    lock(session, cooperative)
    lock(session, run)
    # A bank pays what it was sent; a cash list is paid at the office from the day it is chosen.
    _require(run, (PaymentRunState.SENT,) if run.channel is PayoutChannel.BANK else OPEN, "settled")
    returned = _returned(run, returned or {})
    _happened(settled_on, "payment run")
    for event, earlier in (("chosen", run.made_on), ("sent", run.sent_on)):
        if earlier is not None and settled_on < earlier:
            raise SettledTooEarly(number=run.number, action=Term("settled"), day=settled_on.isoformat(),
                                  event=Term(event), earlier=earlier.isoformat())  # fmt: skip
    require_open(session, cooperative, settled_on.year, settled_on.month)
    distributions = _distributions(session, run)
    for distribution in distributions.values():
        assert distribution.assembly_on is not None  # a posted plan was approved
        if settled_on < distribution.assembly_on:  # [L-29(四)] the plan binds once the assembly approved it
            raise workflow.PaidBeforeApproval(
                paid_on=settled_on.isoformat(), assembly_on=distribution.assembly_on.isoformat()
            )
    reasons = {line.line_no: returned[transfer.number] for transfer in transfers(run.lines)
               if transfer.number in returned for line in transfer.lines}  # fmt: skip
    for line in run.lines:
        if line.line_no in reasons:
            line.result, line.return_reason, line.claim = PayoutResult.RETURNED, reasons[line.line_no], None
        else:
            line.result = PayoutResult.PAID
            if line.account == MEMBER_ACCOUNTS:
                line.claim = None  # the books hold the payment now: the household's next credit is owed anew
    run.state, run.settled_on = PaymentRunState.SETTLED, settled_on
    session.flush()
    for distribution in distributions.values():
        _mark_paid(session, distribution, settled_on)
    session.flush()
    sync_events(session, cooperative, [PAYMENT_RUNS], {PAYMENT_RUNS.ref(run.id)})
    return run


def cancel_run(session: Session, run: PaymentRun) -> PaymentRun:
    """Abandon a run that was not settled: its lines give up their claims, free for another run."""
    lock(session, run)
    _require(run, OPEN, "cancelled")
    for line in run.lines:
        line.claim = None
    run.state = PaymentRunState.CANCELLED
    session.flush()
    return run


def _returned(run: PaymentRun, returned: Mapping[int, str]) -> dict[int, str]:
    """The returned transfers' numbers (序号) and reasons, checked against the run."""
    last = len(transfers(run.lines))
    found: dict[int, str] = {}
    for number, reason in sorted(returned.items()):
        if not 1 <= number <= last:
            raise UnknownTransfer(value=number, number=run.number, last=last)
        reason = " ".join(str(reason).split())[:200]
        if not reason:
            raise ReasonNeeded(value=number, number=run.number)
        found[number] = reason
    return found


def _distributions(session: Session, run: PaymentRun) -> dict[int, Distribution]:
    """The distributions the run's lines pay parts of, locked, each still posted (not paid or reversed meanwhile)."""
    ids = {line.distribution_line_id for line in run.lines if line.distribution_line_id is not None}
    if not ids:
        return {}
    query = select(DistributionLine.distribution_id).where(DistributionLine.id.in_(sorted(ids))).distinct()
    found: dict[int, Distribution] = {}
    for distribution_id in session.scalars(query):
        distribution = session.get(Distribution, distribution_id)
        assert distribution is not None
        lock(session, distribution)
        if distribution.state is not DistributionState.POSTED:
            raise workflow.WrongState(year=distribution.year, state=Term(distribution.state), action=Term("pay"),
                             required=Term(DistributionState.POSTED))  # fmt: skip
        found[distribution.id] = distribution
    return found


def _mark_paid(session: Session, distribution: Distribution, settled_on: dt.date) -> None:
    """Mark the lines whose 221 and 222 parts runs have paid, and the distribution once every line is paid."""
    query = (
        select(PaymentRunLine.distribution_line_id, PaymentRunLine.kind)
        .join(DistributionLine, DistributionLine.id == PaymentRunLine.distribution_line_id)
        .where(DistributionLine.distribution_id == distribution.id, PaymentRunLine.result == PayoutResult.PAID)
    )
    paid = {(line_id, kind) for line_id, kind in session.execute(query)}
    for line in distribution.lines:
        if line.paid_on is not None:
            continue
        parts = entries.net_of_conversion(line.patronage_return, line.residual_distribution, line.converted)
        owed = {kind for kind, part in zip((PayoutKind.RETURNS, PayoutKind.RESIDUAL), parts, strict=True) if part}
        if owed and all((line.id, kind) in paid for kind in owed):
            line.paid_on, line.payment_method = settled_on, PaymentMethod.RUN
    workflow.mark_paid_when_done(distribution, settled_on, PaymentMethod.RUN)


def _require(run: PaymentRun, states: tuple[PaymentRunState, ...], action: str) -> None:
    if run.state not in states:
        raise RunState(number=run.number, state=term(run.state), action=Term(action))


def _happened(day: dt.date, event: str) -> None:
    if day > dt.date.today():
        raise workflow.DayInFuture(day=day.isoformat(), event=Term(event))
