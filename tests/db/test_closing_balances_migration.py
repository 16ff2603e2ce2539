"""Migration f875111710b1 stores the month sums of the months closed before it (ledger_balance): per account, the
sums of the closed months' posted lines, opening-balance vouchers and red reversals apart, as the close stores them.
Every backend."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.db import migrate
from coopcore.models import Cooperative, Period, PeriodBalance, PeriodState, Voucher, VoucherOrigin, VoucherState
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.ledger.sync import DELIVERIES
from tests.backends import BACKENDS, scratch_engine
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books

BEFORE = "5b7d3e9a1c42"  # the migration before the stored sums
STORED_SUMS = "f875111710b1"
Sums = dict[tuple[Any, ...], tuple[Decimal, Decimal]]


def posted(
    session: Session, cooperative: Cooperative, on: str, *lines: EntryLine, origin: VoucherOrigin = VoucherOrigin.MANUAL
) -> Voucher:
    voucher = ledger.add_voucher(session, cooperative, on=day(on), summary="凭证", lines=lines, by=PREPARER,
                                 origin=origin)  # fmt: skip
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=AUDITOR)


def write_books(engine: Engine) -> None:
    """Two cooperatives: one closed through February, with an opening-balance voucher, a red reversal, an event
    voucher the close posts and lines of a member; open March with a posted voucher and a draft. The other closed
    through January only, its February posted, closed and reopened."""
    with Session(engine) as session, session.begin():
        first, second = make_books(session, 1), make_books(session, 2)
        posted(session, first, "2024-01-01", dr("102", "8000.00"), cr("301", "8000.00", "M001"),
               origin=VoucherOrigin.OPENING)  # fmt: skip
        posted(session, first, "2024-01-05", dr("101", "500.00"), cr("102", "500.00"))
        posted(session, first, "2024-01-20", dr("101", "120.50"), cr("102", "120.50"))
        wrong = posted(session, first, "2024-02-03", dr("521", "300.00"), cr("101", "300.00"))
        ledger.reverse_voucher(session, wrong, on=day("2024-02-10"), by=AUDITOR)
        ledger.book_event(session, first, origin=VoucherOrigin.TRADE, source_ref=DELIVERIES.ref(1, "advance"),
                          on=day("2024-02-15"), summary="预付款",
                          lines=[dr("102", "1000.00"), cr("211", "1000.00", counterparty="果品公司")])  # fmt: skip
        posted(session, first, "2024-02-28", dr("114", "66.60", "M002"), cr("102", "66.60"))
        ledger.close_period(session, first, 2024, 2, by=AUDITOR)
        posted(session, first, "2024-03-02", dr("101", "9.99"), cr("102", "9.99"))
        ledger.add_voucher(session, first, on=day("2024-03-03"), summary="草稿", by=PREPARER,
                           lines=[dr("101", "1.00"), cr("102", "1.00")])  # fmt: skip
        posted(session, second, "2024-01-09", dr("102", "70.00"), cr("501", "70.00"))
        ledger.close_period(session, second, 2024, 1, by=AUDITOR)
        posted(session, second, "2024-02-09", dr("102", "40.00"), cr("501", "40.00"))
        ledger.close_period(session, second, 2024, 2, by=AUDITOR)
        ledger.reopen_period(session, second, 2024, 2, by=AUDITOR)  # its period row stays, open


def stored_sums(engine: Engine) -> Sums:
    with Session(engine) as session:
        rows = session.execute(
            select(PeriodBalance.cooperative_id, PeriodBalance.year, PeriodBalance.month, PeriodBalance.account_id,
                   PeriodBalance.opening, PeriodBalance.red, PeriodBalance.debit, PeriodBalance.credit)
        ).all()  # fmt: skip
    return {tuple(row[:6]): (row.debit, row.credit) for row in rows}


def posted_lines_of_closed_months(engine: Engine) -> Sums:
    """The sums, read line by line: every posted voucher's lines in the months whose period is closed."""
    sums: dict[tuple[Any, ...], list[Decimal]] = defaultdict(lambda: [Decimal("0.00"), Decimal("0.00")])
    with Session(engine) as session:
        query = select(Period.cooperative_id, Period.year, Period.month).where(Period.state == PeriodState.CLOSED)
        closed = {tuple(row) for row in session.execute(query)}
        for voucher in session.scalars(select(Voucher).where(Voucher.state == VoucherState.POSTED)):
            if (voucher.cooperative_id, voucher.year, voucher.month) not in closed:
                continue
            for line in voucher.lines:
                key = (line.cooperative_id, line.year, line.month, line.account_id,
                       voucher.origin is VoucherOrigin.OPENING, voucher.reverses_id is not None)  # fmt: skip
                sums[key][0] += line.debit
                sums[key][1] += line.credit
    return {key: (debit, credit) for key, (debit, credit) in sums.items()}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_backfill_stores_the_sums_of_the_closed_months_posted_lines_as_the_close_does(
    backend: str, tmp_path: Path
) -> None:
    with scratch_engine(backend, tmp_path) as engine:
        migrate.upgrade(engine)
        write_books(engine)
        by_the_close = stored_sums(engine)
        migrate.downgrade(engine, BEFORE)  # as a database closed before the sums were stored

        migrate.upgrade(engine, STORED_SUMS)

        backfilled = stored_sums(engine)
        migrate.upgrade(engine)
        expected = posted_lines_of_closed_months(engine)
        assert backfilled == expected == by_the_close
        months = {key[:3] for key in expected}
        assert len(months) == 3  # the first cooperative's January and February, the second's January
        assert {(opening, red) for *_, opening, red in expected} == {(False, False), (True, False), (False, True)}
        # The books read from the backfilled sums as from their lines.
        with Session(engine) as session:
            first = session.scalars(select(Cooperative).order_by(Cooperative.id)).first()
            assert first is not None
            balance = ledger.trial_balance(session, first, 2024, 2)
            assert balance.balanced and balance.row("101").columns.closing_debit == Decimal("620.50")
