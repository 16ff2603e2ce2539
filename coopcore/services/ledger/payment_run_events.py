"""Payment runs (付款批次) in the books: a settled run's paid lines book one voucher, named "payment_run:<id>".

Dr 114/221/222 per household and line / Cr 102 for a bank's batch (代发), 101 for cash against a signature, the
total of the paid lines, dated the day of the bank's result. Returned lines book nothing: they stay owed. The
distribution lines such a run paid carry PaymentMethod.RUN, which the distribution's own payments skip
(distribution_events._paid): each payment is booked once, by the run that made it.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from coopcore.models import Cooperative, PaymentRun
from coopcore.rules import entries
from coopcore.rules.entries.accounts import BANK, CASH
from coopcore.rules.entries.payments import RUN_PAID
from coopcore.services.ledger.source import Event, Source, member_codes, with_ids
from coopcore.terms import PaymentRunState, PayoutChannel, PayoutResult, VoucherOrigin

PAID_FROM = {PayoutChannel.BANK: BANK, PayoutChannel.CASH: CASH}


def _runs(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    query = (
        select(PaymentRun)
        .where(PaymentRun.cooperative_id == cooperative.id, PaymentRun.state == PaymentRunState.SETTLED)
        .where(*with_ids(PAYMENT_RUNS.ids(refs), PaymentRun.id))
        .options(selectinload(PaymentRun.lines))
        .order_by(PaymentRun.id)
    )
    codes = member_codes(session, cooperative)
    for run in session.scalars(query):
        assert run.settled_on is not None  # a settled run has its day
        summary = RUN_PAID.format(number=run.number, purpose=run.purpose)
        paid = [
            entries.RunPayment(codes[line.member_id], line.account, line.amount)
            for line in run.lines
            if line.result is PayoutResult.PAID
        ]
        lines = entries.pay_run(paid, account=PAID_FROM[run.channel], summary=summary) if paid else []
        yield Event(PAYMENT_RUNS.ref(run.id), run.settled_on, summary, lines)


PAYMENT_RUNS = Source(VoucherOrigin.PAYMENT, "payment_run", _runs)
